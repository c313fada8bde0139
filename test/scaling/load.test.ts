import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { SERVER_DATABASES, type ServerDatabase } from "../helpers/databases";
import { startServer, type ServerProcess } from "../helpers/spawn-server";

// A mixed load on one server over 127.0.0.1: 50 connections of reads, writes, stats and the
// plugin's files. It must end with no 5xx and no failed connection, and the server's memory
// must level off. LOAD_SECONDS sets the duration (10 in CI; `npm run load` runs 60).
const SECONDS = Number(process.env["LOAD_SECONDS"] ?? 10);
const CONNECTIONS = 50;

const running: ServerProcess[] = [];
const databases: ServerDatabase[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  for (const database of databases.splice(0)) await database.drop();
});

/** The resident memory of a process, in MB (Linux's /proc). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

describe.each(SERVER_DATABASES)("a mixed load on $name", (backend) => {
  it(`serves ${CONNECTIONS} connections for ${SECONDS} s with no 5xx, and memory levels off`, async () => {
    const database = await backend.create();
    databases.push(database);
    const server = await startServer({ DATABASE_URL: database.url, API_RATE_LIMIT: "0" });
    running.push(server);
    const pid = server.child.pid ?? 0;
    const json = { "Content-Type": "application/json" };
    const workload: ((i: number) => Promise<Response>)[] = [
      (i) => fetch(`${server.url}/todos/load-${i % 20}`),
      (i) =>
        fetch(`${server.url}/todos/load-${i % 20}`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ todo: `todo ${i}` }),
        }),
      (i) =>
        fetch(`${server.url}/todos/load-${i % 20}`, {
          method: "DELETE",
          headers: json,
          body: JSON.stringify({ todo_idx: 0 }),
        }),
      (i) => fetch(`${server.url}/stats?limit=25&player_ids=${(i % 400) + 1}`),
      (i) => fetch(`${server.url}/games?limit=10&team_ids=${(i % 30) + 1}`),
      () => fetch(`${server.url}/.well-known/ai-plugin.json`),
      () => fetch(`${server.url}/openapi.yaml`),
      () => fetch(`${server.url}/logo.png`),
    ];
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const samples: number[] = [];
    let requests = 0;
    const end = Date.now() + SECONDS * 1000;
    const sampler = setInterval(() => {
      samples.push(rssMb(pid));
    }, 500);
    const clients = Array.from({ length: CONNECTIONS }, async (_, client) => {
      for (let i = client; Date.now() < end; i += CONNECTIONS) {
        try {
          const res = await workload[i % workload.length]!(i);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          requests += 1;
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    });
    await Promise.all(clients);
    clearInterval(sampler);
    const third = Math.floor(samples.length / 3);
    const middle = median(samples.slice(third, 2 * third));
    const last = median(samples.slice(2 * third));
    console.log(
      `load on ${backend.name}: ${requests} requests in ${SECONDS} s (${Math.round(requests / SECONDS)}/s) over ${CONNECTIONS} connections; statuses ${JSON.stringify(Object.fromEntries(statuses))}; RSS median ${middle.toFixed(0)} MB in the middle third, ${last.toFixed(0)} MB in the last, peak ${Math.max(...samples).toFixed(0)} MB`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(requests).toBeGreaterThan(SECONDS * 100);
    // Levels off: the last third's memory within a fifth of the middle third's.
    expect(last).toBeLessThan(middle * 1.2 + 5);
    expect(server.output()).not.toMatch(/"level":"error"/);
  }, 300_000);
});
