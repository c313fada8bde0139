import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { TSOA_VERSION } from "../build/toolchain";
import { CliError } from "./project-files";

export const INIT_USAGE = `Usage: plugkit init <dir> [--name <name>] [--auth <type>]

Creates a new plugin project in <dir> (which must be empty or absent): one decorated
controller, its manifest config, a passing test, a README, .gitignore and deploy files for
Fly.io and Heroku. Then: cd <dir> && npm install && npm test && npm start.

  --name <name>   the package name (default: the directory's name)
  --auth <type>   oauth adds the OAuth controller (src/controllers/oauth-controller.ts) that
                  PLUGIN_AUTH=oauth needs; none, service_http and user_http need no code`;

const AUTH_TYPES = ["none", "service_http", "user_http", "oauth"];

const TEMPLATES = join(__dirname, "..", "..", "templates", "init");
/** The OAuth controller, the same one the repository's example plugin uses. */
const OAUTH_TEMPLATES = join(__dirname, "..", "..", "templates", "oauth");

/** The values a template's `{{placeholders}}` are filled with. */
export interface InitValues {
  packageName: string;
  nameForHuman: string;
  nameForModel: string;
  plugkitVersion: string;
  tsoaVersion: string;
}

/** `plugkit init <dir>`. */
export async function initMain(args: readonly string[], cwd: string): Promise<number> {
  let dir: string | undefined;
  let name: string | undefined;
  let auth = "none";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--name") {
      name = args[++i];
      if (name === undefined) throw new CliError("--name needs a value");
    } else if (arg === "--auth") {
      auth = args[++i] ?? "";
      if (!AUTH_TYPES.includes(auth)) {
        throw new CliError(`--auth must be one of ${AUTH_TYPES.join(", ")}`);
      }
    } else if (arg.startsWith("-")) {
      throw new CliError(`unknown option ${arg}\n\n${INIT_USAGE}`);
    } else if (dir === undefined) {
      dir = arg;
    } else {
      throw new CliError(`one directory only\n\n${INIT_USAGE}`);
    }
  }
  if (dir === undefined) throw new CliError(`missing <dir>\n\n${INIT_USAGE}`);
  const target = resolve(cwd, dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new CliError(`${dir} is not empty; choose a new directory`);
  }
  const values = initValues(name ?? basename(target));
  const written = scaffold(target, values, { oauth: auth === "oauth" });
  console.log(`Created ${values.packageName} in ${relative(cwd, target) || "."}:`);
  for (const file of written) console.log(`  ${file}`);
  console.log(`
Next:
  cd ${relative(cwd, target) || "."}
  npm install
  npm test        # builds the generated files, type-checks, runs the tests
  npm start       # serves http://localhost:3333/.well-known/ai-plugin.json${
    auth === "none"
      ? ""
      : `

Then start it with PLUGIN_AUTH=${auth} and the variables .env.example lists for it.`
  }`);
  return 0;
}

/** The template values for a package name. */
export function initValues(rawName: string): InitValues {
  const packageName = rawName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[-_.]+$/g, "");
  if (packageName === "") throw new CliError(`"${rawName}" cannot be made into a package name`);
  const words = packageName.split(/[-_.]+/).filter(Boolean);
  const human = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
  return {
    packageName,
    nameForHuman: [...human].slice(0, 20).join("").trim(),
    nameForModel: words.join("_").slice(0, 50),
    plugkitVersion: `^${plugkitVersion()}`,
    tsoaVersion: TSOA_VERSION,
  };
}

/** Writes the template files into `target`; returns their paths relative to it. */
export function scaffold(
  target: string,
  values: InitValues,
  options: { oauth?: boolean } = {},
): string[] {
  const written: string[] = [];
  const copy = (from: string, to: string): void => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const source = join(from, entry.name);
      // npm never packs a file named .gitignore, so templates spell dotfiles with a leading "_".
      const name = entry.name.replace(/^_/, ".").replace(/\.tmpl$/, "");
      const destination = join(to, name);
      if (entry.isDirectory()) {
        copy(source, destination);
        continue;
      }
      mkdirSync(dirname(destination), { recursive: true });
      if (entry.name.endsWith(".tmpl")) {
        writeFileSync(destination, fill(readFileSync(source, "utf8"), values));
      } else {
        copyFileSync(source, destination);
      }
      written.push(relative(target, destination));
    }
  };
  copy(TEMPLATES, target);
  if (options.oauth === true) copy(OAUTH_TEMPLATES, join(target, "src", "controllers"));
  return written.sort();
}

function fill(text: string, values: InitValues): string {
  return text.replace(/\{\{(\w+)\}\}/g, (match, key: string) =>
    key in values ? values[key as keyof InitValues] : match,
  );
}

function plugkitVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
