import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandOf, parseDockerfile, type Stage } from "./dockerfile";

// No Docker engine and no Heroku here: this follows the Dockerfile's steps in order, outside
// Docker, on a copy of the build context, and runs the results as Heroku and the image would.
// What it cannot do: install the image's OS packages (RUN apt-get: python3, make and g++ are on
// this machine already) or set file ownership for the `node` user, who does not exist here
// (the runtime stage's RUN); those two lines are listed below, so a new RUN line fails the test
// until it is accounted for.
const ROOT = join(__dirname, "..", "..");
const SKIPPED_RUNS = [
  "apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*",
  "chmod 755 /usr/local/bin/plugkit-entrypoint && mkdir -p /app/data /data && chown node:node /app/data /data",
];

let work: string;
let stages: Stage[];
const servers: ChildProcess[] = [];

/** The files `docker build .` would send: what git has, minus .dockerignore's entries. */
function copyBuildContext(to: string): void {
  const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((pattern) => new RegExp(`^${pattern.replace(/\./g, "\\.").replace(/\*/g, "[^/]+")}(/|$)`));
  const files = spawnSync("git", ["ls-files", "-co", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .stdout.split("\n")
    .filter(
      (file) => file !== "" && existsSync(join(ROOT, file)) && !ignored.some((re) => re.test(file)),
    );
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(ROOT, file), join(to, file));
  }
}

/** Follows a stage's instructions in `root` (its filesystem); returns the stage's CMD and more. */
function runStage(stage: Stage, root: string, context: string, roots: Map<string, string>) {
  let workdir = "/";
  const env: Record<string, string> = {};
  let cmd: string[] = [];
  let entrypoint: string[] = [];
  const inRoot = (path: string) => join(root, isAbsolute(path) ? path : join(workdir, path));
  for (const { keyword, args } of stage.instructions) {
    if (keyword === "WORKDIR") {
      workdir = args;
      mkdirSync(inRoot("."), { recursive: true });
    } else if (keyword === "ENV") {
      const [name = "", value = ""] = args.split("=");
      env[name] = value;
    } else if (keyword === "COPY") {
      const words = args.split(/\s+/);
      const from = words[0]?.startsWith("--from=") === true ? words.shift()?.slice(7) : undefined;
      const dest = words.pop() ?? "";
      for (const source of words) {
        const sourcePath =
          from === undefined ? join(context, source) : join(roots.get(from) ?? "", source);
        const target = dest.endsWith("/")
          ? join(inRoot(dest), source.split("/").pop() ?? "")
          : inRoot(dest);
        mkdirSync(dirname(target), { recursive: true });
        cpSync(sourcePath, target, { recursive: true, verbatimSymlinks: true });
      }
    } else if (keyword === "RUN") {
      if (SKIPPED_RUNS.includes(args)) continue;
      const result = spawnSync("sh", ["-c", args], {
        cwd: inRoot("."),
        env: { ...process.env, ...env, CI: "1" },
        encoding: "utf8",
      });
      expect(result.status, `RUN ${args}\n${result.stdout}\n${result.stderr}`).toBe(0);
    } else if (keyword === "CMD") cmd = commandOf(args);
    else if (keyword === "ENTRYPOINT") entrypoint = commandOf(args);
  }
  return { workdir: inRoot("."), env, cmd, entrypoint };
}

/** Starts a command that runs the plugin server; resolves with its URL once it listens. */
function serve(command: string[], cwd: string, env: Record<string, string>): Promise<string> {
  const [file = "", ...args] = command;
  const child = spawn(file, args, {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", PORT: "0", ...env },
  });
  servers.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      reject(new Error(`exited ${String(code)}:\n${output}`));
    });
  });
}

/** The plugin answers: health, manifest, and a todo written and read back. */
async function expectServing(url: string): Promise<void> {
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect((await fetch(`${url}/.well-known/ai-plugin.json`)).status).toBe(200);
  const added = await fetch(`${url}/todos/deploy`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ todo: "ship it" }),
  });
  expect(added.status).toBe(200);
  expect(await (await fetch(`${url}/todos/deploy`)).json()).toEqual({ todos: ["ship it"] });
}

describe("the production install, outside Docker", () => {
  const roots = new Map<string, string>();
  let build: ReturnType<typeof runStage>;
  let runtime: ReturnType<typeof runStage>;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "plugkit-deploy-"));
    chmodSync(work, 0o755);
    const context = join(work, "context");
    copyBuildContext(context);
    stages = parseDockerfile(join(ROOT, "Dockerfile"));
    expect(stages.map((s) => s.name)).toEqual(["build", "1"]);
    const [buildStage, runtimeStage] = stages as [Stage, Stage];
    roots.set("build", join(work, "build"));
    build = runStage(buildStage, join(work, "build"), context, roots);
    runtime = runStage(runtimeStage, join(work, "runtime"), context, roots);
    // Readable by the unprivileged user the runtime test runs as.
    spawnSync("chmod", ["-R", "a+rX", work]);
  }, 600_000);

  afterAll(() => {
    for (const child of servers) child.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  });

  it("leaves a build tree without devDependencies that Heroku's Procfile serves", async () => {
    // The build stage ran what Heroku's Node.js buildpack runs: install, `npm run build`, prune.
    expect(existsSync(join(build.workdir, "node_modules", "typescript"))).toBe(false);
    expect(existsSync(join(build.workdir, "node_modules", "vitest"))).toBe(false);
    const web = /^web: (.+)$/m.exec(readFileSync(join(ROOT, "Procfile"), "utf8"))?.[1] ?? "";
    expect(web).toBe("node dist/src/server.js");
    const data = join(work, "heroku-data");
    const url = await serve(web.split(" "), build.workdir, {
      DATABASE_URL: `file:${data}/plugkit.db`,
    });
    await expectServing(url);
  });

  it("makes accounts in production with the installed CLI", () => {
    const created = spawnSync(
      "npx",
      ["--no-install", "plugkit", "accounts", "create", "alice", "--password-stdin"],
      {
        cwd: build.workdir,
        input: "a production password\n",
        env: { ...process.env, DATABASE_URL: `file:${join(work, "heroku-data")}/plugkit.db` },
        encoding: "utf8",
      },
    );
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain("alice");
  });

  it("runs the image's command, through its entrypoint, as an unprivileged user", async () => {
    expect(runtime.entrypoint).toEqual(["plugkit-entrypoint"]);
    expect(runtime.cmd).toEqual(["node", "dist/src/server.js"]);
    expect(runtime.env["NODE_ENV"]).toBe("production");
    expect(existsSync(join(runtime.workdir, "node_modules", "typescript"))).toBe(false);
    const data = join(work, "image-data");
    mkdirSync(data, { mode: 0o777 });
    chmodSync(data, 0o777);
    const entrypoint = join(work, "runtime", "usr", "local", "bin", "plugkit-entrypoint");
    // As `nobody` (uid 65534): the entrypoint runs the command as the user it was started as.
    const asNobody = [
      "setpriv",
      "--reuid=65534",
      "--regid=65534",
      "--clear-groups",
      "sh",
      entrypoint,
    ];
    const url = await serve([...asNobody, ...runtime.cmd], runtime.workdir, {
      ...runtime.env,
      DATABASE_URL: `file:${data}/plugkit.db`,
    });
    await expectServing(url);
  });
});
