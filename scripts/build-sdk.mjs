// Builds the plugkit package (packages/plugkit/dist) that the example imports by name. Runs at
// `npm install` (prepare) and before build, start and test; tsc is incremental, so an
// unchanged package costs about a second. In a production install without TypeScript, the
// package must already be built.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc");
} catch {
  if (existsSync("packages/plugkit/dist/index.js")) process.exit(0);
  console.error(
    "plugkit: packages/plugkit is not built and TypeScript is not installed: run `npm install`",
  );
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, "-p", "packages/plugkit/tsconfig.build.json"], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
