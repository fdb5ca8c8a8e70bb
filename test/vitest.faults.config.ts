import { defineConfig } from "vitest/config";

// Hardening and fault-injection tests (`npm run test:faults`): SSRF, tenant isolation, hostile
// input, throttling, secrets in logs, database outages, crashes and shutdown.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ["faults/**/*.test.ts"],
    globalSetup: ["./support/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
