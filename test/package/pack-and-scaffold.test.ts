import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const PACKAGE = join(ROOT, "packages", "plugkit");
const work = mkdtempSync(join(tmpdir(), "plugkit-pack-"));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** The environment without the npm_* variables of the `npm test` running this file. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
);

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...cleanEnv, npm_config_audit: "false", npm_config_fund: "false" },
    encoding: "utf8",
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${String(result.status)}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

// The whole path of a new plugin author, from the package as npm would publish it: about two
// minutes, most of it `npm install` compiling better-sqlite3.
describe("the packed plugkit package", () => {
  it("scaffolds a plugin that installs, builds, passes its tests and serves its manifest, spec and operation", async () => {
    run("npm", ["pack", "--pack-destination", work], PACKAGE);
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz")) ?? "missing.tgz");
    // The CLI as published: unpack the tarball and run its bin.
    run("tar", ["-xzf", tarball, "-C", work], work);
    const init = run(
      process.execPath,
      [join(work, "package", "bin", "plugkit.js"), "init", "greeter", "--auth", "oauth"],
      work,
    );
    expect(init.stdout).toContain("Created greeter");
    const app = join(work, "greeter");

    const install = run("npm", ["install", tarball], app);
    expect(install.stderr).not.toMatch(/EBADENGINE/);
    expect(run("npm", ["test"], app).stdout).toMatch(/3 passed/);
    run("npm", ["run", "build"], app);
    expect(run("npm", ["run", "check"], app).stdout).toContain("up to date");

    const serve = async (env: Record<string, string>) => {
      const server = spawn(process.execPath, ["dist/src/server.js"], {
        cwd: app,
        env: { ...cleanEnv, PORT: "0", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        const timer = setTimeout(() => {
          reject(new Error(`the server did not start:\n${output}`));
        }, 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
          if (match?.[1] !== undefined) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        };
        server.stdout.on("data", onData);
        server.stderr.on("data", onData);
        server.on("exit", () => {
          reject(new Error(`the server exited:\n${output}`));
        });
      });
      return { url, stop: () => server.kill("SIGTERM") };
    };

    const plain = await serve({});
    try {
      const { url } = plain;
      const manifest = (await (await fetch(`${url}/.well-known/ai-plugin.json`)).json()) as {
        name_for_model: string;
        auth: { type: string };
        api: { url: string };
      };
      expect(manifest.name_for_model).toBe("greeter");
      expect(manifest.auth).toEqual({ type: "none" });
      expect(manifest.api.url).toBe(`${url}/openapi.yaml`);
      const spec = await (await fetch(`${url}/openapi.yaml`)).text();
      expect(spec).toContain("operationId: getGreeting");
      expect(spec).toContain(`url: ${url}`);
      expect(spec).not.toContain("/oauth/");
      const greeting = await fetch(`${url}/greetings/Ada`);
      expect(greeting.status).toBe(200);
      expect(await greeting.json()).toEqual({ message: "Hello, Ada!" });
    } finally {
      plain.stop();
    }

    // The scaffolded OAuth controller serves the authorization server with PLUGIN_AUTH=oauth.
    const oauth = await serve({ PLUGIN_AUTH: "oauth" });
    try {
      const metadata = await fetch(`${oauth.url}/.well-known/oauth-authorization-server`);
      expect(metadata.status).toBe(200);
      expect(((await metadata.json()) as { token_endpoint: string }).token_endpoint).toBe(
        `${oauth.url}/oauth/token`,
      );
      const greeting = await fetch(`${oauth.url}/greetings/Ada`);
      expect(greeting.status).toBe(401);
      expect(greeting.headers.get("www-authenticate")).toContain("resource_metadata=");
    } finally {
      oauth.stop();
    }
  }, 600_000);
});
