// `npm run bench`: start-up time, memory and request throughput of the built plugin server,
// each measured side by side with a bare Express app in the same run and reported as a ratio,
// because absolute numbers on a shared machine are noise.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = 16;

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

async function start(
  args: string[],
  probePath: string,
  env: Record<string, string>,
): Promise<Running> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((done, fail) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (match?.[1] !== undefined) done(match[1]);
    });
    child.on("exit", (code) => {
      fail(new Error(`exited ${String(code)}: ${out}`));
    });
  });
  for (;;) {
    const res = await fetch(url + probePath).catch(() => undefined);
    if (res?.status === 200) {
      await res.arrayBuffer();
      break;
    }
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

async function throughput(request: (i: number) => Promise<Response>): Promise<number> {
  let next = 0;
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
  return REQUESTS / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, "dist", "src", "server.js"))) {
    spawnSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });
  }
  const dir = mkdtempSync(join(tmpdir(), "plugkit-bench-"));
  const env = { DATABASE_URL: `file:${join(dir, "bench.db")}` };
  const plugin = ["dist/src/server.js"];
  const baseline = ["bench/baseline-server.cjs"];

  console.log(`start-up: spawn to first 200, ${ROUNDS} rounds, alternating`);
  const starts = { plugin: [] as number[], baseline: [] as number[] };
  const rss = { plugin: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    const p = await start(plugin, "/.well-known/ai-plugin.json", env);
    starts.plugin.push(p.startMs);
    rss.plugin.push(rssMb(p.child.pid));
    await stop(p);
    const b = await start(baseline, "/json", env);
    starts.baseline.push(b.startMs);
    rss.baseline.push(rssMb(b.child.pid));
    await stop(b);
  }
  const row = (name: string, p: number, b: number, unit: string): void => {
    console.log(
      `  ${name.padEnd(34)} plugkit ${p.toFixed(1).padStart(8)} ${unit}  baseline ${b.toFixed(1).padStart(8)} ${unit}  ratio ${(p / b).toFixed(2)}`,
    );
  };
  row("median start-up", median(starts.plugin), median(starts.baseline), "ms");
  row("min start-up", Math.min(...starts.plugin), Math.min(...starts.baseline), "ms");
  row("RSS after first request", median(rss.plugin), median(rss.baseline), "MB");

  console.log(`throughput: ${REQUESTS} requests, ${CONCURRENCY} concurrent, keep-alive, best of 3`);
  const p = await start(plugin, "/.well-known/ai-plugin.json", env);
  const b = await start(baseline, "/json", env);
  const json = { "Content-Type": "application/json" };
  for (let i = 0; i < 10; i++) {
    await fetch(`${p.url}/todos/bench`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ todo: `todo ${i}` }),
    });
  }
  const best = async (run: () => Promise<number>): Promise<number> =>
    Math.max(await run(), await run(), await run());
  const scenarios: [string, () => Promise<number>, () => Promise<number>][] = [
    [
      "GET a 10-todo list (JSON)",
      () => throughput(() => fetch(`${p.url}/todos/bench`)),
      () => throughput(() => fetch(`${b.url}/json`)),
    ],
    [
      "POST a todo (SQLite write)",
      () =>
        throughput((i) =>
          fetch(`${p.url}/todos/w${i % 1000}-${Date.now() % 100000}`, {
            method: "POST",
            headers: json,
            body: '{"todo":"x"}',
          }),
        ),
      () =>
        throughput(() =>
          fetch(`${b.url}/json`, { method: "POST", headers: json, body: '{"todo":"x"}' }),
        ),
    ],
    [
      "GET /openapi.yaml",
      () => throughput(() => fetch(`${p.url}/openapi.yaml`)),
      () => throughput(() => fetch(`${b.url}/json`)),
    ],
    [
      "GET /stats (25 box scores, SQLite)",
      () => throughput((i) => fetch(`${p.url}/stats?player_ids=${(i % 450) + 1}`)),
      () => throughput(() => fetch(`${b.url}/json`)),
    ],
  ];
  for (const [name, runPlugin, runBaseline] of scenarios) {
    row(name, await best(runPlugin), await best(runBaseline), "req/s");
  }
  await stop(p);
  await stop(b);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
