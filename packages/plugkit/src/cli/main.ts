// The `plugkit` command.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors";
import { accountsMain, readPassword } from "./accounts-command";
import { BUILD_USAGE, buildMain, describeBuildFailure } from "./build-command";
import { checkMain } from "./check-command";
import { DEV_USAGE, devMain } from "./dev-command";
import { INIT_USAGE, initMain } from "./init-command";

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
      if (help) return print(BUILD_USAGE);
      return buildMain(args, root);
    case "check":
      if (help) return print("Usage: plugkit check [--manifest <file>] [--tsoa <file>]");
      return checkMain(args, root);
    case "dev":
      if (help) return print(DEV_USAGE);
      return devMain(args, root);
    case "accounts":
      return accountsMain(args, {
        out: (line) => {
          console.log(line);
        },
        err: (line) => {
          console.error(line);
        },
        readPassword,
      });
    case "init":
      if (help) return print(INIT_USAGE);
      return initMain(args, root);
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

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      describeBuildFailure(error) ?? (error instanceof ConfigError ? error.message : undefined);
    if (message === undefined) console.error(error);
    else console.error(`plugkit ${argv[0] ?? ""}: ${message}`);
    process.exitCode = 1;
  },
);
