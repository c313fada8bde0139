import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    // Tests that spawn servers or build into temp dirs need more than the 5 s default on a
    // loaded 2-core machine; no test asserts on speed (that is `npm run bench`).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
