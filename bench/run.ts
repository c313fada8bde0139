// `npm run bench`: start-up time, memory and request throughput of the built plugin server,
// each measured side by side with a bare Express app in the same run and reported as a ratio,
// because absolute numbers on a shared machine are noise.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, platform, release, tmpdir, totalmem } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { userInfo } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";

const ROOT = resolve(__dirname, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = 16;
// PostgreSQL for the PostgreSQL rows (a database of the bench's own is created and dropped).
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://127.0.0.1:5432/test";

interface Running {
  url: string;
  child: ChildProcess;
  startMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const at = (i: number): number => s[i] ?? Number.NaN;
  return s.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
};

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => {
        done(port);
      });
    });
  });
}

async function start(
  args: string[],
  probePath: string,
  env: Record<string, string>,
): Promise<Running> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const t0 = performance.now();
  // Output is read and dropped, as a platform's log drain would.
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout.resume();
  const state = { exited: false };
  child.on("exit", () => {
    state.exited = true;
  });
  for (;;) {
    if (state.exited) throw new Error(`${args.join(" ")} exited before answering`);
    const res = await fetch(url + probePath).catch(() => undefined);
    if (res?.status === 200) {
      await res.arrayBuffer();
      break;
    }
    await new Promise((done) => setTimeout(done, 5));
  }
  return { url, child, startMs: performance.now() - t0 };
}

async function stop(running: Running): Promise<void> {
  const exited = new Promise((done) => running.child.once("exit", done));
  running.child.kill("SIGKILL");
  await exited;
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** The CPU time (user + system) a process has used so far, in microseconds (Linux's /proc). */
function cpuMicros(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  // utime and stime, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

interface Throughput {
  /** Requests a second. */
  rps: number;
  /** The server's CPU time per request, in microseconds. */
  cpuUs: number;
}

async function throughput(
  server: Running,
  request: (i: number) => Promise<Response>,
): Promise<Throughput> {
  let next = 0;
  const cpu0 = cpuMicros(server.child.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const res = await request(next++);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { rps: REQUESTS / seconds, cpuUs: (cpuMicros(server.child.pid) - cpu0) / REQUESTS };
}

/** What the workloads should reach, as ratios to bare Express (issue 12). */
const TARGETS: { name: string; target: number; better: "higher" | "lower" }[] = [
  { name: "GET a 10-todo list, SQLite", target: 0.95, better: "higher" },
  { name: "POST a todo (durable write), SQLite", target: 0.7, better: "higher" },
  { name: "median start-up (to the manifest)", target: 1.2, better: "lower" },
];

/** What the report says besides the table. */
const notes: string[] = [];
/** Every measurement, for `--write`. */
const written: {
  name: string;
  plugkit: number;
  baseline: number;
  unit: string;
  /** Throughput rows: each server's CPU time per request, in microseconds. */
  cpu?: { plugkit: number; baseline: number };
}[] = [];

/** Writes docs/benchmarks.md from this run: machine, date, commit and every ratio. */
function writeReport(notes: string[]): void {
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], {
    cwd: ROOT,
    encoding: "utf8",
  }).stdout.trim();
  const dirty =
    spawnSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() !==
    "";
  const lines = [
    "# Benchmarks",
    "",
    "Written by `npm run bench -- --write` (bench/run.ts): each workload on the plugkit server and on a",
    "bare Express 5 app, measured side by side in the same run, because absolute numbers on a shared",
    "machine are noise; the ratio is plugkit's over the bare app's (higher is better for req/s, lower",
    "for ms and MB).",
    "",
    `- Date: ${new Date().toISOString()}`,
    `- Commit: ${commit}${dirty ? " (with uncommitted changes)" : ""}`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GB, ${platform()} ${release()}, Node ${process.version}`,
    `- Settings: BENCH_ROUNDS=${ROUNDS}, BENCH_REQUESTS=${REQUESTS}, ${CONCURRENCY} concurrent keep-alive clients`,
    "",
    "| workload | plugkit | bare Express | ratio | server CPU per request: plugkit / bare Express | CPU ratio (bare / plugkit) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...written.map(
      (r) =>
        `| ${r.name} | ${r.plugkit.toFixed(r.unit === "req/s" ? 0 : 2)} ${r.unit} | ${r.baseline.toFixed(r.unit === "req/s" ? 0 : 2)} ${r.unit} | ${(r.plugkit / r.baseline).toFixed(2)} | ${r.cpu === undefined ? "" : `${r.cpu.plugkit.toFixed(0)} µs / ${r.cpu.baseline.toFixed(0)} µs`} | ${r.cpu === undefined ? "" : (r.cpu.baseline / r.cpu.plugkit).toFixed(2)} |`,
    ),
    "",
    "Throughput rows: 16 concurrent keep-alive `fetch` clients in the bench's own process, which",
    "shares the machine's cores with the server, so a server that needs less CPU than the clients",
    "is limited by them; the CPU columns (the server process's user + system time over the same",
    "requests) show each server's own cost. See docs/performance.md for the profiles behind them.",
    "",
    ...notes,
    "",
    "## Targets",
    "",
    ...TARGETS.map(({ name, target, better }) => {
      const row = written.find((r) => r.name === name);
      if (row === undefined) return `- ${name}: not measured in this run.`;
      // Judged on the ratio as shown, to two decimals.
      const shown = (x: number): number => Math.round(x * 100) / 100;
      const ratio = row.plugkit / row.baseline;
      const met = better === "higher" ? shown(ratio) >= target : shown(ratio) <= target;
      const cpu =
        row.cpu === undefined
          ? ""
          : ` The server's CPU per request is ${(row.cpu.baseline / row.cpu.plugkit).toFixed(2)} of bare Express's (${row.cpu.plugkit.toFixed(0)} µs against ${row.cpu.baseline.toFixed(0)} µs): ${better === "higher" && shown(row.cpu.baseline / row.cpu.plugkit) >= target ? "met" : "not met"} by that measure.`;
      return `- ${name}: ${ratio.toFixed(2)} against a target of ${better === "higher" ? "at least" : "at most"} ${target}: ${met ? "met" : "not met"}.${cpu}`;
    }),
    "",
  ];
  writeFileSync(join(ROOT, "docs", "benchmarks.md"), lines.join("\n"));
  console.log("wrote docs/benchmarks.md");
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, "dist", "src", "server.js"))) {
    spawnSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });
  }
  const dir = mkdtempSync(join(tmpdir(), "plugkit-bench-"));
  // The API rate limit is off: the bench sends thousands of requests a minute from one address.
  const env = { DATABASE_URL: `file:${join(dir, "bench.db")}`, API_RATE_LIMIT: "0" };
  const plugin = ["dist/src/server.js"];
  const baseline = ["bench/baseline-server.cjs"];

  console.log(`start-up: spawn to first 200, ${ROUNDS} rounds, alternating`);
  const starts = { plugin: [] as number[], api: [] as number[], baseline: [] as number[] };
  const rss = { plugin: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    const p = await start(plugin, "/.well-known/ai-plugin.json", env);
    starts.plugin.push(p.startMs);
    rss.plugin.push(rssMb(p.child.pid));
    await stop(p);
    // The first API answer: tsoa's validation runtime loads on the first API request.
    const a = await start(plugin, "/todos/start-up", env);
    starts.api.push(a.startMs);
    await stop(a);
    const b = await start(baseline, "/json", env);
    starts.baseline.push(b.startMs);
    rss.baseline.push(rssMb(b.child.pid));
    await stop(b);
  }
  const row = (
    name: string,
    p: number,
    b: number,
    unit: string,
    cpu?: { plugkit: number; baseline: number },
  ): void => {
    written.push({ name, plugkit: p, baseline: b, unit, ...(cpu === undefined ? {} : { cpu }) });
    console.log(
      `  ${name.padEnd(40)} plugkit ${p.toFixed(1).padStart(8)} ${unit}  baseline ${b.toFixed(1).padStart(8)} ${unit}  ratio ${(p / b).toFixed(2)}${cpu === undefined ? "" : `  CPU/request ${cpu.plugkit.toFixed(0)} / ${cpu.baseline.toFixed(0)} µs, ratio ${(cpu.baseline / cpu.plugkit).toFixed(2)}`}`,
    );
  };
  row("median start-up (to the manifest)", median(starts.plugin), median(starts.baseline), "ms");
  row("median start-up (to a first API answer)", median(starts.api), median(starts.baseline), "ms");
  row("min start-up", Math.min(...starts.plugin), Math.min(...starts.baseline), "ms");
  row("RSS after first request", median(rss.plugin), median(rss.baseline), "MB");

  console.log(
    `throughput: ${REQUESTS} requests, ${CONCURRENCY} concurrent, keep-alive, best of 3 taking turns`,
  );
  const postgres = await createBenchDatabase();
  const p = await start(plugin, "/.well-known/ai-plugin.json", env);
  const onPostgres =
    postgres === undefined
      ? undefined
      : await start(plugin, "/readyz", { ...env, DATABASE_URL: postgres.url });
  const b = await start(baseline, "/json", env);
  const json = { "Content-Type": "application/json" };
  for (const server of [p, onPostgres]) {
    if (server === undefined) continue;
    for (let i = 0; i < 10; i++) {
      await fetch(`${server.url}/todos/bench`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ todo: `todo ${i}` }),
      });
    }
  }
  const getList = (server: Running) => () =>
    throughput(server, () => fetch(`${server.url}/todos/bench`));
  const postTodo = (server: Running) => () =>
    throughput(server, (i) =>
      fetch(`${server.url}/todos/w${i % 1000}-${Date.now() % 100000}`, {
        method: "POST",
        headers: json,
        body: '{"todo":"x"}',
      }),
    );
  const bareGet = () => throughput(b, () => fetch(`${b.url}/json`));
  const barePost = () =>
    throughput(b, () =>
      fetch(`${b.url}/json`, { method: "POST", headers: json, body: '{"todo":"x"}' }),
    );
  type Run = () => Promise<Throughput>;
  const scenarios: [string, Run, Run][] = [
    ["GET a 10-todo list, SQLite", getList(p), bareGet],
    ["POST a todo (durable write), SQLite", postTodo(p), barePost],
    ...(onPostgres === undefined
      ? []
      : ([
          ["GET a 10-todo list, PostgreSQL", getList(onPostgres), bareGet],
          ["POST a todo (durable write), PostgreSQL", postTodo(onPostgres), barePost],
        ] as [string, Run, Run][])),
    ["GET /openapi.yaml", () => throughput(p, () => fetch(`${p.url}/openapi.yaml`)), bareGet],
    [
      "GET /stats?limit=25 (a page of box scores)",
      () => throughput(p, () => fetch(`${p.url}/stats?limit=25`)),
      bareGet,
    ],
    [
      "GET /stats?player_ids=… (one player's)",
      () => throughput(p, (i) => fetch(`${p.url}/stats?player_ids=${(i % 450) + 1}`)),
      bareGet,
    ],
  ];
  if (onPostgres === undefined) {
    notes.push(`PostgreSQL rows skipped: nothing answered at ${POSTGRES_URL}.`);
    console.log(
      `  (PostgreSQL rows skipped: nothing answers at ${POSTGRES_URL}; set BENCH_POSTGRES_URL)`,
    );
  }
  // Three runs each, plugkit and bare Express taking turns, so both see the same noise; the
  // best run of each counts, and the CPU per request of that run.
  for (const [name, runPlugin, runBaseline] of scenarios) {
    const plugkitRuns: Throughput[] = [];
    const baselineRuns: Throughput[] = [];
    for (let i = 0; i < 3; i++) {
      plugkitRuns.push(await runPlugin());
      baselineRuns.push(await runBaseline());
    }
    const bestOf = (runs: Throughput[]): Throughput =>
      runs.reduce((a, r) => (r.rps > a.rps ? r : a));
    const pb = bestOf(plugkitRuns);
    const bb = bestOf(baselineRuns);
    row(name, pb.rps, bb.rps, "req/s", { plugkit: pb.cpuUs, baseline: bb.cpuUs });
  }

  // One tool call against the same operation over plain HTTP, sequential (latency, not
  // throughput), interleaved in batches of 50 so both see the same noise.
  const mcpHeaders = { ...json, Accept: "application/json, text/event-stream" };
  const toolCall = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "getTodos", arguments: { username: "bench" } },
  });
  const timed = async (send: () => Promise<Response>): Promise<number> => {
    const t0 = performance.now();
    const res = await send();
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`bench: ${res.status}`);
    return performance.now() - t0;
  };
  const plainGet = () => fetch(`${p.url}/todos/bench`);
  const mcpCall = () =>
    fetch(`${p.url}/mcp`, { method: "POST", headers: mcpHeaders, body: toolCall });
  const latency = { plain: [] as number[], mcp: [] as number[] };
  for (let i = 0; i < 100; i++) await timed(i % 2 === 0 ? plainGet : mcpCall);
  const CALLS = Math.max(200, Math.round(REQUESTS / 5));
  for (let batch = 0; batch < CALLS / 50; batch++) {
    for (let i = 0; i < 50; i++) latency.plain.push(await timed(plainGet));
    for (let i = 0; i < 50; i++) latency.mcp.push(await timed(mcpCall));
  }
  const mcpMs = median(latency.mcp);
  const plainMs = median(latency.plain);
  notes.push(
    `MCP: a \`getTodos\` tool call (\`POST /mcp\`) against the same \`GET /todos/{username}\` on the plugkit server, ${CALLS} sequential calls each, interleaved: median ${mcpMs.toFixed(2)} ms against ${plainMs.toFixed(2)} ms, so MCP adds ${(mcpMs - plainMs).toFixed(2)} ms (target: at most 1.5 ms).`,
  );
  console.log(`latency: ${CALLS} sequential calls each, median`);
  console.log(
    `  getTodos                           MCP tool call ${mcpMs.toFixed(2).padStart(6)} ms  plain HTTP GET ${plainMs.toFixed(2).padStart(6)} ms  MCP adds ${(mcpMs - plainMs).toFixed(2)} ms (target: at most 1.5)`,
  );
  await stop(p);
  if (onPostgres !== undefined) await stop(onPostgres);
  await stop(b);
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
  if (process.argv.includes("--write")) {
    mkdirSync(join(ROOT, "docs"), { recursive: true });
    writeReport(notes);
  }
}

/** A database of the bench's own on the PostgreSQL server, or undefined when none answers. */
async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const server = new URL(POSTGRES_URL);
  if (server.username === "") server.username = process.env.PGUSER ?? userInfo().username;
  const name = `plugkit_bench_${process.pid}`;
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: server.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await run(`DROP DATABASE IF EXISTS ${name}`);
    await run(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  }
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
