import { defineConfig } from "vitest/config";

// The tests start the real `herald` command on its sources (tsx + Herald's packages load in about two seconds).
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 } });
