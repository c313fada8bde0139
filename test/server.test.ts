import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runServerExpectingExit, startServer, type ServerProcess } from "./helpers/spawn-server";

let dir: string;
let databaseUrl: string;
const running: ServerProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-server-"));
  databaseUrl = `file:${join(dir, "todos.db")}`;
});
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServer({ DATABASE_URL: databaseUrl, ...env });
  running.push(server);
  return server;
}

const post = (url: string, username: string, todo: string) =>
  fetch(`${url}/todos/${username}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ todo }),
  });

describe("the server process", () => {
  it("keeps todos across a crash and restart on the same database file", async () => {
    const first = await start();
    for (const todo of ["one", "two", "three"])
      expect((await post(first.url, "global", todo)).status).toBe(200);
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await start();
    const res = await fetch(`${second.url}/todos/global`);
    expect(await res.json()).toEqual({ todos: ["one", "two", "three"] });
  });

  it("loses no todo when two servers share one database and take writes at once", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post(i % 2 === 0 ? a.url : b.url, "shared", `todo ${i}`).then(
          async (r) => (r.status === 200 ? "ok" : `${r.status} ${await r.text()}`),
          (error: unknown) => `failed: ${String(error)}`,
        ),
      ),
    );
    expect(outcomes.filter((o) => o !== "ok")).toEqual([]);
    const list = ((await (await fetch(`${b.url}/todos/shared`)).json()) as { todos: string[] })
      .todos;
    expect(list).toHaveLength(60);
    expect(new Set(list).size).toBe(60);
  });

  it("serves the manifest with the origin it was reached at", async () => {
    const server = await start();
    const manifest = (await (await fetch(`${server.url}/.well-known/ai-plugin.json`)).json()) as {
      api: { url: string };
    };
    expect(manifest.api.url).toBe(`${server.url}/openapi.yaml`);
  });

  it("exits 0 on SIGTERM after closing", async () => {
    const server = await start();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"SIGTERM received; draining"');
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it("refuses to start with invalid configuration, naming each variable", async () => {
    const { code, output } = await runServerExpectingExit({
      PORT: "abc",
      DATABASE_URL: "postgres://db.example.com/a/b?sslmode=bogus",
    });
    expect(code).toBe(1);
    expect(output).toContain('PORT: "abc" is not a port number');
    expect(output).toContain("DATABASE_URL: name one database after the host");
  });

  it("refuses to start oauth with half a client, naming the variables", async () => {
    const { code, output } = await runServerExpectingExit({
      PLUGIN_AUTH: "oauth",
      OAUTH_CLIENT_SECRET: "short",
    });
    expect(code).toBe(1);
    expect(output).toContain("OAUTH_CLIENT_ID: required with OAUTH_CLIENT_SECRET");
    const wildcard = await runServerExpectingExit({
      PLUGIN_AUTH: "oauth",
      OAUTH_CLIENT_ID: "chatgpt",
      OAUTH_CLIENT_SECRET: "s".repeat(32),
      OAUTH_REDIRECT_URIS: "https://chatgpt.com/aip/*/oauth/callback",
    });
    expect(wildcard.code).toBe(1);
    expect(wildcard.output).toContain("OAUTH_REDIRECT_URIS");
    expect(wildcard.output).toContain("OAUTH_REDIRECT_URI_WILDCARDS=true");
  });

  it("serves service_http end to end: 401 without the key, 200 with it", async () => {
    const key = "k".repeat(32);
    const server = await start({ PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: key });
    expect((await fetch(`${server.url}/todos/global`)).status).toBe(401);
    const ok = await fetch(`${server.url}/todos/global`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(ok.status).toBe(200);
  });

  it("exits 1 with a message when the port is taken", async () => {
    const server = await start();
    const port = new URL(server.url).port;
    const { code, output } = await runServerExpectingExit({
      PORT: port,
      DATABASE_URL: databaseUrl,
    });
    expect(code).toBe(1);
    expect(output).toContain(`cannot listen on port ${port}`);
  });
});
