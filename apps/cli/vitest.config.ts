import { defineConfig } from "vitest/config";

// The tests start the real `herald` command on its sources (tsx + Herald's packages load in about two
// seconds) and an embedded database in beforeAll; on a busy machine either can take well over ten.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
