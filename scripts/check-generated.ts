// CI check: regenerates generated/ and fails when the committed copy differs, so that the
// model-facing contract (spec and manifest) in every commit is the one the code produces.
import { execFileSync, spawnSync } from "node:child_process";

const generate = spawnSync(process.execPath, ["--import", "tsx", "scripts/generate.ts"], {
  stdio: "inherit",
});
if (generate.status !== 0) process.exit(generate.status ?? 1);

const changes = execFileSync("git", ["status", "--porcelain", "--", "generated/"], {
  encoding: "utf8",
}).trim();
if (changes !== "") {
  console.error(
    `\ngenerated/ is stale: the committed files differ from what the build produces:\n${changes}\n` +
      "Run `npm run build` and commit generated/.",
  );
  execFileSync("git", ["--no-pager", "diff", "--stat", "--", "generated/"], { stdio: "inherit" });
  process.exit(1);
}
console.log("generated/ is up to date");
