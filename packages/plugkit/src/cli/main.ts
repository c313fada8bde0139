// The `plugkit` command.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors";
import { CliError } from "./project-files";

// Each command is loaded when it runs, so `plugkit init` and `--help` start quickly and need
// nothing but plugkit itself.
/* eslint-disable @typescript-eslint/no-require-imports */
const accounts = () => require("./accounts-command") as typeof import("./accounts-command");
const build = () => require("./build-command") as typeof import("./build-command");
const check = () => require("./check-command") as typeof import("./check-command");
const dev = () => require("./dev-command") as typeof import("./dev-command");
const init = () => require("./init-command") as typeof import("./init-command");
/* eslint-enable @typescript-eslint/no-require-imports */

const USAGE = `Usage: plugkit <command> [options]

  build      generate routes, spec and manifest from the controllers, check them, compile
  dev        regenerate and restart the server on every save
  check      fail when the generated files differ from what the build produces (for CI)
  accounts   manage accounts and API tokens (plugkit accounts help)
  init <dir> scaffold a new plugin project

Run plugkit <command> --help for a command's options.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  const root = process.cwd();
  const help = args.includes("--help") || args.includes("-h");
  switch (command) {
    case "build":
      if (help) return print(build().BUILD_USAGE);
      return build().buildMain(args, root);
    case "check":
      if (help) return print(check().CHECK_USAGE);
      return check().checkMain(args, root);
    case "dev":
      if (help) return print(dev().DEV_USAGE);
      return dev().devMain(args, root);
    case "accounts": {
      const { accountsMain, readPassword } = accounts();
      return accountsMain(args, {
        out: (line) => {
          console.log(line);
        },
        err: (line) => {
          console.error(line);
        },
        readPassword,
      });
    }
    case "init":
      if (help) return print(init().INIT_USAGE);
      return init().initMain(args, root);
    case "--version":
    case "-v":
      return print(version());
    case undefined:
    case "help":
    case "--help":
    case "-h":
      return print(USAGE);
    default:
      console.error(`plugkit: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function print(text: string): number {
  console.log(text);
  return 0;
}

/** A problem in the project the build reports (not a bug in plugkit). */
function isBuildFailure(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "PluginBuildError" || name === "ToolchainError";
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof CliError || error instanceof ConfigError || isBuildFailure(error);
    const message = known ? (error as Error).message : undefined;
    if (message === undefined) console.error(error);
    else console.error(`plugkit ${argv[0] ?? ""}: ${message}`);
    process.exitCode = 1;
  },
);
