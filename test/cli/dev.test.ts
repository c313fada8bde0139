import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const TMP_ROOT = join(ROOT, ".test-tmp");
mkdirSync(TMP_ROOT, { recursive: true });
// Inside the repository, so that the copy resolves plugkit, tsx and tsoa from its node_modules.
const project = mkdtempSync(join(TMP_ROOT, "dev-"));
for (const entry of [
  "src",
  "assets",
  "generated",
  "tsoa.json",
  "tsconfig.json",
  "tsconfig.base.json",
])
  cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
const controller = join(project, "src", "controllers", "todos-controller.ts");

const dev = spawn(
  process.execPath,
  [join(ROOT, "packages", "plugkit", "bin", "plugkit.js"), "dev"],
  {
    cwd: project,
    env: { ...process.env, PORT: "0", DATABASE_URL: `file:${join(project, "db.sqlite")}` },
    stdio: ["ignore", "pipe", "pipe"],
  },
);
let output = "";
dev.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
dev.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
afterAll(async () => {
  const exited = new Promise((resolve) => dev.once("exit", resolve));
  dev.kill("SIGTERM");
  await exited;
  rmSync(project, { recursive: true, force: true });
});

/** Waits until the output (after `from`) matches, and returns the match. */
async function waitFor(pattern: RegExp, from: number): Promise<RegExpExecArray> {
  const started = Date.now();
  for (;;) {
    const match = pattern.exec(output.slice(from));
    if (match !== null) return match;
    if (Date.now() - started > 45_000)
      throw new Error(`no ${String(pattern)} in:\n${output.slice(from)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** After a change: the URL of the server that took over, once the new build serves. */
async function served(from: number): Promise<string> {
  await waitFor(/\[dev\] serving the new build \d+ ms after the change/, from);
  const urls = [...output.slice(from).matchAll(/listening on (http:\/\/localhost:\d+)/g)];
  return urls.at(-1)?.[1] ?? "";
}

async function summary(url: string): Promise<string | undefined> {
  const spec = (await (await fetch(`${url}/openapi.json`)).json()) as {
    paths: Record<string, { get?: { summary?: string } }>;
  };
  return spec.paths["/todos/{username}"]?.get?.summary;
}

describe("plugkit dev", () => {
  it("serves the project, then each save, including files sed -i replaces again and again", async () => {
    const url = await served(0);
    expect(await summary(url)).toBe("Get the list of todos");
    for (const version of ["v2", "v3", "v4"]) {
      const from = output.length;
      execFileSync("sed", [
        "-i",
        `s/@summary Get the list of todos.*/@summary Get the list of todos ${version}/`,
        controller,
      ]);
      expect(await summary(await served(from))).toBe(`Get the list of todos ${version}`);
    }
  });

  it("reports a type error without stopping the server", async () => {
    const from = output.length;
    appendFileSync(controller, '\nexport const broken: number = "not a number";\n');
    const url = await served(from);
    const report = await waitFor(/\[dev\] type errors \(the server still runs\):\n(.*)/, from);
    expect(report[1]).toMatch(/todos-controller\.ts\(\d+,\d+\): error TS2322/);
    expect((await fetch(`${url}/.well-known/ai-plugin.json`)).status).toBe(200);
  });

  it("keeps serving the last good build when the build fails, and says why", async () => {
    const before = [...output.matchAll(/listening on (http:\/\/localhost:\d+)/g)].at(-1)?.[1] ?? "";
    const from = output.length;
    execFileSync("sed", ["-i", 's/@OperationId("getTodos")//', controller]);
    await waitFor(
      /build failed, still serving the last good build:[\s\S]*TodosController\.getTodos has no @OperationId/,
      from,
    );
    expect((await fetch(`${before}/.well-known/ai-plugin.json`)).status).toBe(200);
  });
});
