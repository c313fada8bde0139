// Runs before `npm start`: builds the plugin when dist/ is missing or older than the sources, so
// that `npm install && npm start` works on a fresh clone and a stale build is never served.
// In a production install (no dev dependencies) it only checks that dist/ exists.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const STAMP = join("dist", ".build-stamp");
const SOURCES = [
  "src",
  "generated",
  "tsoa.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function hasDevTools() {
  try {
    createRequire(import.meta.url).resolve("tsoa/package.json");
    return true;
  } catch {
    return false;
  }
}

const built = existsSync(STAMP) && existsSync(join("dist", "src", "server.js"));
const stale = !built || Math.max(...SOURCES.map(newestMtime)) > statSync(STAMP).mtimeMs;
if (!stale) process.exit(0);

if (!hasDevTools()) {
  if (built) process.exit(0);
  console.error(
    "plugkit: dist/ is missing and the build tools are not installed: run `npm install && npm run build`.",
  );
  process.exit(1);
}

console.log(
  built
    ? "plugkit: sources changed since the last build, rebuilding..."
    : "plugkit: first start, building...",
);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const result = spawnSync(npm, ["run", "-s", "build"], { stdio: "inherit" });
process.exit(result.status ?? 1);
