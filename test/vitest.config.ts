import { defineConfig } from "vitest/config";

// Integration tests share one database per run (PostgreSQL when DATABASE_URL is set, else one
// embedded PGlite). PGlite is single-connection, so files run one after another.
export default defineConfig({
  test: {
    include: ["integration/**/*.test.ts"],
    globalSetup: ["./support/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
