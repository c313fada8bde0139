import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POSTGRES_URL, createTestPostgres, type TestPostgres } from "../helpers/databases";
import { startServer, type ServerProcess } from "../helpers/spawn-server";

let database: TestPostgres;
const running: ServerProcess[] = [];

describe.skipIf(POSTGRES_URL === null)("SIGKILL on PostgreSQL", () => {
  beforeEach(async () => {
    database = await createTestPostgres();
  });
  afterEach(async () => {
    for (const server of running.splice(0)) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
    await database.drop();
  });

  it("keeps every acknowledged write when the server is killed while clients stream writes", async () => {
    const first = await startServer({
      DATABASE_URL: database.url,
      LOG_LEVEL: "info",
      API_RATE_LIMIT: "0",
    });
    running.push(first);
    const acknowledged = new Set<string>();
    let killed = false;
    // Eight clients write one after another, each to lists of its own (90 todos a list).
    const clients = Array.from({ length: 8 }, async (_, client) => {
      for (let n = 0; !killed; n++) {
        const list = `c${client}-${Math.floor(n / 90)}`;
        const todo = `client ${client} todo ${n}`;
        try {
          const res = await fetch(`${first.url}/todos/${list}`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ todo }),
          });
          if (res.status === 200) acknowledged.add(`${list}\n${todo}`);
        } catch {
          return; // the connection died with the server
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    first.child.kill("SIGKILL");
    killed = true;
    await Promise.all(clients);
    await first.exited;
    expect(acknowledged.size).toBeGreaterThan(20);

    const second = await startServer({
      DATABASE_URL: database.url,
      LOG_LEVEL: "info",
      API_RATE_LIMIT: "0",
    });
    running.push(second);
    const lists = new Set([...acknowledged].map((entry) => entry.split("\n")[0] ?? ""));
    const stored = new Set<string>();
    for (const list of lists) {
      const res = await fetch(`${second.url}/todos/${list}`);
      const body = (await res.json()) as { todos: string[] };
      expect(res.status, JSON.stringify(body)).toBe(200);
      const { todos } = body;
      for (const todo of todos) stored.add(`${list}\n${todo}`);
    }
    const lost = [...acknowledged].filter((entry) => !stored.has(entry));
    expect(lost).toEqual([]);
  });
});
