import { defineConfig } from "vitest/config";

/**
 * Tests that build with tsoa, spawn processes (servers, npm, the CLI) or drive a browser. They
 * run in `npm test` and CI; `npm run test:fast` leaves them out for the inner loop.
 */
const SLOW = [
  "packages/plugkit/test/build/generate-plugin.test.ts",
  "packages/plugkit/test/public-surface.test.ts",
  "test/build/**/*.test.ts",
  "test/cli/**/*.test.ts",
  "test/deploy/**/*.test.ts",
  "test/e2e/**/*.test.ts",
  "test/fuzz/**/*.test.ts",
  "test/package/**/*.test.ts",
  "test/readme/**/*.test.ts",
  "test/scaling/**/*.test.ts",
  "test/server.test.ts",
  "test/server/lifecycle.test.ts",
  "test/server/log-secrets.test.ts",
  "test/stats/dataset.test.ts",
];
const ALL = ["test/**/*.test.ts", "packages/*/test/**/*.test.ts"];

export default defineConfig({
  test: {
    // Tests that spawn servers or build into temp dirs need more than the 5 s default on a
    // loaded 2-core machine; no test asserts on speed (that is `npm run bench`).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Finds the PostgreSQL and Redis the store tests use, or says that their tests are skipped.
    globalSetup: ["test/global-setup.ts"],
    projects: [
      { extends: true, test: { name: "fast", include: ALL, exclude: SLOW } },
      { extends: true, test: { name: "slow", include: SLOW } },
    ],
  },
});
