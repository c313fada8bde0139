// Search quality on the labelled set: recall@3 and MRR, keyword (BM25) and hybrid (with the
// tests' fake embeddings server, so it runs anywhere and gives the same numbers every time).
import { openPluginDatabase } from "plugkit";
import { openAiEmbedder } from "../src/retrieval/embeddings";
import { createRetrievalService } from "../src/retrieval/retrieval-service";
import { MIGRATIONS } from "../src/services";
import { createSqliteDocumentStore } from "../src/store/document-store";
import { startFakeEmbeddings } from "../test/helpers/fake-embeddings";
import { evaluate, readEvalSet } from "./evaluate";

async function main(): Promise<void> {
  const fake = await startFakeEmbeddings();
  const set = readEvalSet();
  try {
    for (const mode of ["keyword (BM25)", "hybrid (fake embeddings + BM25, RRF)"]) {
      const database = openPluginDatabase(
        { kind: "sqlite", path: ":memory:" },
        { migrations: MIGRATIONS },
      );
      const service = createRetrievalService({
        store: createSqliteDocumentStore(database.sqlite),
        embedder: mode.startsWith("hybrid")
          ? openAiEmbedder({ apiKey: "sk-test", baseUrl: fake.url })
          : undefined,
      });
      const { recallAt3, mrr, misses } = await evaluate(service, set);
      console.log(
        `${mode.padEnd(40)} recall@3 ${recallAt3.toFixed(2)}  MRR ${mrr.toFixed(2)}  (${set.queries.length} queries; missed: ${misses.join("; ") || "none"})`,
      );
      await database.close();
    }
  } finally {
    await fake.close();
  }
}

void main();
