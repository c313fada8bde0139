import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Finds the PostgreSQL the tests also run on, or says that those runs are skipped.
    globalSetup: ["test/global-setup.ts"],
    // Spawned servers and a loaded 2-core machine need more than the 5 s default.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
