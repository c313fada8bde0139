import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPluginDatabase } from "plugkit";
import { evaluate, readEvalSet } from "../eval/evaluate";
import { openAiEmbedder } from "../src/retrieval/embeddings";
import { createRetrievalService } from "../src/retrieval/retrieval-service";
import { MIGRATIONS } from "../src/services";
import { createSqliteDocumentStore } from "../src/store/document-store";
import { startFakeEmbeddings, type FakeEmbeddings } from "./helpers/fake-embeddings";

// Floors on the labelled set (eval/dataset.json): search quality cannot regress silently.
// Measured when written: BM25 recall@3 0.85, MRR 0.83; hybrid 0.95 and 0.88 (see the README).
let fake: FakeEmbeddings;
beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(async () => {
  await fake.close();
});

function service(withEmbeddings: boolean) {
  const database = openPluginDatabase(
    { kind: "sqlite", path: ":memory:" },
    { migrations: MIGRATIONS },
  );
  return createRetrievalService({
    store: createSqliteDocumentStore(database.sqlite),
    embedder: withEmbeddings ? openAiEmbedder({ apiKey: "sk-test", baseUrl: fake.url }) : undefined,
  });
}

describe("search quality on the labelled set", () => {
  it("keyword search (BM25) stays above its floor", async () => {
    const result = await evaluate(service(false), readEvalSet());
    expect(result.recallAt3).toBeGreaterThanOrEqual(0.8);
    expect(result.mrr).toBeGreaterThanOrEqual(0.75);
  });

  it("hybrid search (fake embeddings and BM25, fused) stays above its floor and above BM25", async () => {
    const bm25 = await evaluate(service(false), readEvalSet());
    const hybrid = await evaluate(service(true), readEvalSet());
    expect(hybrid.recallAt3).toBeGreaterThanOrEqual(0.9);
    expect(hybrid.mrr).toBeGreaterThanOrEqual(0.85);
    expect(hybrid.recallAt3).toBeGreaterThan(bm25.recallAt3);
  });
});
