import { relative } from "node:path";
import { generate, parseBuildFlags } from "./build-command";
import { CliError } from "./project-files";

export const CHECK_USAGE = `Usage: plugkit check [--manifest <file>] [--tsoa <file>]

Builds the plugin's files in memory and exits 1 when generated/ differs from them: run it in CI
so the committed spec, manifest and routes are always what the code produces.`;

/**
 * `plugkit check`: builds the plugin's files in memory and fails when the ones on disk differ,
 * so CI catches a model-facing contract (spec, manifest, routes) that was not regenerated.
 */
export async function checkMain(args: readonly string[], root: string): Promise<number> {
  const { flags, rest } = parseBuildFlags(args);
  if (rest.length > 0) throw new CliError(`unknown option ${rest[0] ?? ""}`);
  const result = await generate(root, flags, { write: false });
  const stale = result.files.filter((file) => file.changed).map((f) => relative(root, f.path));
  if (stale.length > 0) {
    console.error(
      `The generated files are stale: they differ from what the build produces:\n${stale.map((f) => `  ${f}`).join("\n")}\nRun \`npm run build\` (plugkit build) and commit them.`,
    );
    return 1;
  }
  console.log(
    `generated files are up to date (${result.files.map((f) => relative(root, f.path)).join(", ")})`,
  );
  return 0;
}
