import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Browser tests: Herald on a real port, the Teams emulator, and Debian's Chromium driven by
// playwright-core. They share the integration tests' database setup and run one file at a time.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    include: ["browser/**/*.test.ts"],
    globalSetup: ["./support/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
