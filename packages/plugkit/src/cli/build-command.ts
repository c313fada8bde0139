import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PluginBuildError } from "../build/build-error";
import { generatePlugin, type GeneratePluginResult } from "../build/generate-plugin";
import { ToolchainError } from "../build/toolchain";
import { CliError, DEFAULT_MANIFEST, loadManifest, newestMtime } from "./project-files";

/** Options shared by `plugkit build`, `check` and `dev`. */
export interface BuildFlags {
  manifest: string;
  tsoaConfig: string;
  strict: boolean;
}

export const BUILD_USAGE = `Usage: plugkit build [options]

Generates generated/routes.ts, openapi.yaml, openapi.json and ai-plugin.json from the
controllers and the manifest config, checks them, then compiles the project to dist/.

  --manifest <file>   the manifest config module (default ${DEFAULT_MANIFEST})
  --tsoa <file>       the tsoa config (default tsoa.json)
  --strict            fail on warnings too
  --no-compile        only generate; do not run tsc
  --if-stale          do nothing when dist/ is newer than the sources (used by prestart)`;

const STAMP = join("dist", ".build-stamp");
const SOURCES = [
  "src",
  "generated",
  "assets",
  "tsoa.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
];

/** Parses the flags the build commands share, returning the rest. */
export function parseBuildFlags(args: readonly string[]): { flags: BuildFlags; rest: string[] } {
  const flags: BuildFlags = { manifest: DEFAULT_MANIFEST, tsoaConfig: "tsoa.json", strict: false };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const value = (): string => {
      const next = args[++i];
      if (next === undefined || next.startsWith("--")) throw new CliError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--manifest") flags.manifest = value();
    else if (arg === "--tsoa") flags.tsoaConfig = value();
    else if (arg === "--strict") flags.strict = true;
    else rest.push(arg);
  }
  return { flags, rest };
}

/** Generates the plugin's files, printing warnings and what changed. */
export async function generate(
  root: string,
  flags: BuildFlags,
  options: { write?: boolean; fresh?: boolean; log?: (line: string) => void } = {},
): Promise<GeneratePluginResult> {
  const log =
    options.log ??
    ((line: string) => {
      console.log(line);
    });
  const manifest = loadManifest(root, flags.manifest, options.fresh);
  const result = await generatePlugin({
    manifest,
    manifestPath: flags.manifest,
    tsoaConfigPath: flags.tsoaConfig,
    cwd: root,
    strict: flags.strict,
    write: options.write ?? true,
  });
  for (const warning of result.warnings) log(`warning: ${warning.where}: ${warning.message}`);
  return result;
}

/** `plugkit build`. */
export async function buildMain(args: readonly string[], root: string): Promise<number> {
  const { flags, rest } = parseBuildFlags(args);
  const unknown = rest.filter((a) => !["--no-compile", "--if-stale"].includes(a));
  if (unknown.length > 0)
    throw new CliError(`unknown option ${unknown[0] ?? ""}\n\n${BUILD_USAGE}`);
  const compile = !rest.includes("--no-compile");

  if (rest.includes("--if-stale")) {
    const stamp = join(root, STAMP);
    const built = existsSync(stamp);
    if (
      built &&
      Math.max(...SOURCES.map((s) => newestMtime(join(root, s))), pluginkitMtime()) <=
        statSync(stamp).mtimeMs
    ) {
      return 0;
    }
    if (!hasBuildTools(root)) {
      if (built) return 0;
      throw new CliError(
        "dist/ is missing and the build tools are not installed: run `npm install && npm run build`",
      );
    }
    console.log(
      built
        ? "plugkit: sources changed since the last build, rebuilding..."
        : "plugkit: first start, building...",
    );
  }

  const started = performance.now();
  const result = await generate(root, flags);
  for (const file of result.files) {
    console.log(`${file.changed ? "wrote    " : "unchanged"} ${relative(root, file.path)}`);
  }
  const { analyze, check, write } = result.timings;
  console.log(
    `generated in ${Math.round(performance.now() - started)} ms (tsoa ${analyze} ms, checks ${check} ms, write ${write} ms)`,
  );
  if (!compile) return 0;
  const status = compileProject(root);
  if (status !== 0) return status;
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
  return 0;
}

/** Runs the project's own tsc on tsconfig.build.json (or tsconfig.json). */
function compileProject(root: string): number {
  let tsc: string;
  try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  } catch {
    throw new CliError(
      "plugkit build needs typescript to compile: run `npm install --save-dev typescript`",
    );
  }
  const project = existsSync(join(root, "tsconfig.build.json"))
    ? "tsconfig.build.json"
    : "tsconfig.json";
  const result = spawnSync(process.execPath, [tsc, "-p", project], { cwd: root, stdio: "inherit" });
  return result.status ?? 1;
}

function hasBuildTools(root: string): boolean {
  try {
    require.resolve("@tsoa/cli/package.json", { paths: [root] });
    require.resolve("typescript/package.json", { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

/** When plugkit itself last changed: an upgrade regenerates the routes. */
function pluginkitMtime(): number {
  return newestMtime(join(__dirname, "..", "..", "package.json"));
}

/** The message of an expected build failure (a problem in the project), or undefined. */
export function describeBuildFailure(error: unknown): string | undefined {
  return error instanceof PluginBuildError ||
    error instanceof ToolchainError ||
    error instanceof CliError
    ? error.message
    : undefined;
}
