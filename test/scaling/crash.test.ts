import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { POSTGRES_URL, createTestPostgres } from "../helpers/databases";
import { startServer, type ServerProcess } from "../helpers/spawn-server";

// SIGKILL at random moments while clients stream writes, then restart on the same database:
// every acknowledged write is there, in order, and nothing else but what was in flight.
// CRASH_ROUNDS sets the kills per database (3 in CI; `npm run crash` runs 20).
const ROUNDS = Number(process.env["CRASH_ROUNDS"] ?? 3);
const CLIENTS = 8;

interface Database {
  url: string;
  drop(): Promise<void>;
}

const BACKENDS: { name: string; create(): Promise<Database> }[] = [
  {
    name: "SQLite",
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), "plugkit-crash-"));
      return {
        url: `file:${join(dir, "crash.db")}`,
        drop: async () => {
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  ...(POSTGRES_URL === null ? [] : [{ name: "PostgreSQL", create: createTestPostgres }]),
];

const running: ServerProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
});

/** A pseudo-random number from a seed, so a failing run can be told apart and repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

describe.each(BACKENDS)("SIGKILL at random moments on $name", (backend) => {
  it(`keeps every acknowledged write through ${ROUNDS} kills and restarts`, async () => {
    const seed = Number(process.env["CRASH_SEED"] ?? Date.now() % 1_000_000);
    console.log(`crash on ${backend.name}: CRASH_SEED=${seed} CRASH_ROUNDS=${ROUNDS}`);
    const next = random(seed);
    const database = await backend.create();
    const env = { DATABASE_URL: database.url, API_RATE_LIMIT: "0" };
    // What each client's list must hold: every acknowledged todo, in the order sent.
    const acknowledged = Array.from({ length: CLIENTS }, () => [] as number[]);
    const inFlight = Array.from({ length: CLIENTS }, () => new Set<number>());
    const sent = Array.from({ length: CLIENTS }, () => 0);
    const list = (client: number) => `crash-${client}-${Math.floor(sent[client]! / 90)}`;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const server = await startServer(env);
        running.push(server);
        // Everything acknowledged before this start is there, and nothing half-written.
        await verify(server.url, acknowledged, inFlight);
        let killed = false;
        // Read through a function: the clients run while the test sets it.
        const isKilled = (): boolean => killed;
        const clients = Array.from({ length: CLIENTS }, async (_, client) => {
          while (!isKilled()) {
            const n = sent[client]!;
            const target = list(client);
            inFlight[client]!.add(n);
            try {
              const res = await fetch(`${server.url}/todos/${target}`, {
                method: "POST",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify({ todo: `client ${client} todo ${n}` }),
              });
              if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
              acknowledged[client]!.push(n);
              inFlight[client]!.delete(n);
              sent[client] = n + 1;
            } catch (error) {
              if (!isKilled()) throw error;
              // Killed with this request in flight: it may or may not have been written.
              sent[client] = n + 1;
              return;
            }
          }
        });
        await new Promise((resolve) => setTimeout(resolve, 200 + next() * 1_300));
        server.child.kill("SIGKILL");
        killed = true;
        await Promise.all(clients);
        await server.exited;
        running.splice(running.indexOf(server), 1);
      }
      const last = await startServer(env);
      running.push(last);
      await verify(last.url, acknowledged, inFlight);
      expect(acknowledged.flat().length).toBeGreaterThan(ROUNDS * 10);
    } finally {
      for (const server of running.splice(0)) {
        server.child.kill("SIGKILL");
        await server.exited;
      }
      await database.drop();
    }
  }, 300_000);
});

/**
 * Reads every client's lists: each holds exactly the acknowledged todos, in order, plus at most
 * the ones that were in flight at a kill, each whole (no other text is acceptable).
 */
async function verify(
  url: string,
  acknowledged: number[][],
  inFlight: Set<number>[],
): Promise<void> {
  for (const [client, todos] of acknowledged.entries()) {
    const lists = new Set([...todos, ...inFlight[client]!].map((n) => Math.floor(n / 90)));
    const stored: number[] = [];
    for (const index of [...lists].sort((a, b) => a - b)) {
      const res = await fetch(`${url}/todos/crash-${client}-${index}`);
      const body = (await res.json()) as { todos: string[] };
      expect(res.status).toBe(200);
      for (const todo of body.todos) {
        const match = new RegExp(`^client ${client} todo (\\d+)$`).exec(todo);
        expect(match, `a todo written whole: ${JSON.stringify(todo)}`).not.toBeNull();
        stored.push(Number(match?.[1]));
      }
    }
    const extra = stored.filter((n) => !todos.includes(n));
    expect(
      extra.every((n) => inFlight[client]!.has(n)),
      `client ${client}: ${extra.join(",")}`,
    ).toBe(true);
    expect(
      stored.filter((n) => todos.includes(n)),
      `client ${client}`,
    ).toEqual(todos);
  }
}
