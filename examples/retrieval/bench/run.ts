// Upsert throughput and query latency at 1,000 and 10,000 chunks on SQLite, keyword and hybrid
// (embeddings computed in the process by the tests' fake model, so the store is what is timed).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPluginDatabase } from "plugkit";
import type { Embedder } from "../src/retrieval/embeddings";
import { createRetrievalService } from "../src/retrieval/retrieval-service";
import { MIGRATIONS } from "../src/services";
import { createSqliteDocumentStore } from "../src/store/document-store";
import { fakeEmbedding } from "../test/helpers/fake-embeddings";

const WORDS =
  "garden invoice roof boiler passport meeting laptop salary holiday doctor vehicle recipe lemon river tax window lease puppy bicycle lighthouse".split(
    " ",
  );
const QUERIES = 200;

function sentence(seed: number): string {
  const pick = (n: number) => WORDS[(seed * 7919 + n * 104729) % WORDS.length] ?? "x";
  return `Note ${seed} about the ${pick(1)} and the ${pick(2)}, with ${pick(3)} details.`;
}

const inProcess: Embedder = {
  dimensions: 256,
  embed: async (texts) => texts.map((t) => Float32Array.from(fakeEmbedding(t))),
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function run(chunks: number, hybrid: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "retrieval-bench-"));
  const database = openPluginDatabase(
    { kind: "sqlite", path: join(dir, "bench.db") },
    { migrations: MIGRATIONS },
  );
  const service = createRetrievalService({
    store: createSqliteDocumentStore(database.sqlite),
    embedder: hybrid ? inProcess : undefined,
  });
  // One chunk per document (a short text), 100 documents per request, as a loader would send.
  const t0 = performance.now();
  for (let i = 0; i < chunks; i += 100) {
    await service.upsert(
      null,
      Array.from({ length: Math.min(100, chunks - i) }, (_, j) => ({
        id: `d${i + j}`,
        text: sentence(i + j),
      })),
    );
  }
  const upsertSeconds = (performance.now() - t0) / 1000;
  const latencies: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const started = performance.now();
    await service.query(null, [{ query: `${WORDS[q % WORDS.length] ?? ""} details`, top_k: 3 }]);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  return `${String(chunks).padStart(6)} chunks  ${hybrid ? "hybrid " : "keyword"}  upsert ${(chunks / upsertSeconds).toFixed(0).padStart(6)} chunks/s  query p50 ${percentile(latencies, 0.5).toFixed(2)} ms  p99 ${percentile(latencies, 0.99).toFixed(2)} ms`;
}

async function main(): Promise<void> {
  console.log(`retrieval on SQLite: ${QUERIES} sequential queries after each load`);
  for (const chunks of [1_000, 10_000]) {
    for (const hybrid of [false, true]) console.log(await run(chunks, hybrid));
  }
}

void main();
