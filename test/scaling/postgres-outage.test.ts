import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POSTGRES_URL, createTestPostgres, type TestPostgres } from "../helpers/databases";
import { startServer, type ServerProcess } from "../helpers/spawn-server";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";

// PostgreSQL behind a proxy the test can cut: the server stays up, says it is not ready,
// answers 503 JSON meanwhile, and recovers by itself when the database is back, losing nothing
// it acknowledged.
let database: TestPostgres;
let proxy: TcpProxy;
let server: ServerProcess | undefined;

/** The test database, reached through the proxy. */
function proxiedUrl(): string {
  const url = new URL(database.url);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  return url.toString();
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`never: ${what}`);
}

const readyStatus = async (url: string) => (await fetch(`${url}/readyz`)).status;
const add = (url: string, todo: string) =>
  fetch(`${url}/todos/outage`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ todo }),
  });

describe.skipIf(POSTGRES_URL === null)("a PostgreSQL outage", () => {
  beforeEach(async () => {
    database = await createTestPostgres();
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterEach(async () => {
    if (server !== undefined) {
      server.child.kill("SIGKILL");
      await server.exited;
      server = undefined;
    }
    await proxy.close();
    await database.drop();
  });

  it("at start: the server listens, is not ready, answers 503 JSON, and becomes ready when the database answers", async () => {
    await proxy.cut();
    server = await startServer({ DATABASE_URL: proxiedUrl() });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toBe(
      "unavailable",
    );
    const refused = await add(server.url, "too early");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toEqual({
      error: "database_unavailable",
      message: "The database is not answering. Retry in a few seconds.",
    });
    // A clear line in the log, without a stack.
    await until(
      "the log says why",
      async () => server?.output().includes("database not ready") === true,
    );
    expect(server.output()).not.toMatch(/\n\s+at /);

    await proxy.restore();
    await until("ready", async () => (await readyStatus(server?.url ?? "")) === 200);
    expect((await add(server.url, "once it is back")).status).toBe(200);
    expect(await (await fetch(`${server.url}/todos/outage`)).json()).toEqual({
      todos: ["once it is back"],
    });
  });

  it("while serving: requests get 503 JSON during the outage, and nothing acknowledged is lost", async () => {
    server = await startServer({ DATABASE_URL: proxiedUrl() });
    await until("ready", async () => (await readyStatus(server?.url ?? "")) === 200);
    const acknowledged: string[] = [];
    for (const todo of ["before 1", "before 2"]) {
      expect((await add(server.url, todo)).status).toBe(200);
      acknowledged.push(todo);
    }

    await proxy.cut();
    await until("not ready", async () => (await readyStatus(server?.url ?? "")) === 503);
    const started = Date.now();
    const during = await add(server.url, "during");
    expect(during.status).toBe(503);
    expect(((await during.json()) as { error: string }).error).toBe("database_unavailable");
    expect((await fetch(`${server.url}/todos/outage`)).status).toBe(503);
    // Refused promptly, not after a hang (the pool waits 5 s at most for a connection).
    expect(Date.now() - started).toBeLessThan(12_000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    await proxy.restore();
    await until("ready again", async () => (await readyStatus(server?.url ?? "")) === 200);
    expect((await add(server.url, "after")).status).toBe(200);
    acknowledged.push("after");
    expect(await (await fetch(`${server.url}/todos/outage`)).json()).toEqual({
      todos: acknowledged,
    });
    expect(server.output()).not.toContain('"level":"error"');
  });
});
