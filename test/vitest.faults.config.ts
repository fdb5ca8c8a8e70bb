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
    // Known race in postgres.js 3.4.9 when the database connection is cut under load (the outage
    // test): a deferred write hits the destroyed socket. Only that exact error is tolerated here;
    // it is tracked in issue #7 because it would also end a production process.
    onUnhandledError(error) {
      const e = error as { message?: string; stack?: string };
      const knownRace =
        e.message === "Cannot read properties of null (reading 'write')" &&
        (e.stack ?? "").includes("postgres/src/connection.js");
      return !knownRace;
    },
  },
});
