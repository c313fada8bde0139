import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RetrievalService } from "../src/retrieval/retrieval-service";

/** The labelled evaluation set in eval/dataset.json. */
export interface EvalSet {
  documents: { id: string; text: string }[];
  queries: { query: string; relevant: string[] }[];
}

export function readEvalSet(): EvalSet {
  return JSON.parse(readFileSync(join(__dirname, "dataset.json"), "utf8")) as EvalSet;
}

/** recall@3 (the share of relevant documents in the top 3) and MRR, averaged over the queries. */
export async function evaluate(
  service: RetrievalService,
  set: EvalSet,
): Promise<{ recallAt3: number; mrr: number; misses: string[] }> {
  await service.upsert(null, set.documents);
  let recall = 0;
  let reciprocal = 0;
  const misses: string[] = [];
  for (const { query, relevant } of set.queries) {
    const [result] = await service.query(null, [{ query, top_k: 10 }]);
    const ranked = [...new Set((result?.results ?? []).map((r) => r.metadata.document_id ?? ""))];
    const top3 = ranked.slice(0, 3);
    recall += relevant.filter((id) => top3.includes(id)).length / relevant.length;
    const first = ranked.findIndex((id) => relevant.includes(id));
    reciprocal += first === -1 ? 0 : 1 / (first + 1);
    if (first === -1 || first > 2) misses.push(query);
  }
  return {
    recallAt3: recall / set.queries.length,
    mrr: reciprocal / set.queries.length,
    misses,
  };
}
