import { randomUUID } from "node:crypto";
import { BadRequestError, HttpError } from "plugkit";
import {
  toTimestamp,
  type DocumentStore,
  type NewChunk,
  type Owner,
  type StoredChunk,
} from "../store/document-store";
import { MAX_NUM_CHUNKS, chunkText } from "./chunking";
import type { Embedder } from "./embeddings";
import type { DeleteRequest, Document, DocumentChunkWithScore, Query, QueryResult } from "./models";

/** How many candidates each search contributes to the fusion. */
const CANDIDATES = 50;
/** Reciprocal-rank fusion's constant (Cormack et al.). */
const RRF_K = 60;
/** Characters an answer may hold in all, under the 100,000 the assistant takes. */
const ANSWER_BUDGET = 95_000;
/** Most characters one result's text keeps. */
const MAX_RESULT_TEXT = 4_000;
/** Most results one request may ask for, over all its queries. */
export const MAX_RESULTS = 100;

/** What the plugin does with documents: chunk, embed, store, search, delete. */
export interface RetrievalService {
  /** `keyword` (BM25) without embeddings; `hybrid` (BM25 and vectors, fused) with them. */
  readonly mode: "keyword" | "hybrid";
  upsert(owner: Owner, documents: readonly Document[]): Promise<string[]>;
  query(owner: Owner, queries: readonly Query[]): Promise<QueryResult[]>;
  delete(owner: Owner, request: DeleteRequest): Promise<void>;
  /** Embeds chunks stored without an embedding; returns how many. */
  embedMissing(): Promise<number>;
}

/** The words of a query, as FTS5 should match them. */
export function queryTerms(query: string): string[] {
  return [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 64);
}

/**
 * Cuts texts so the whole answer stays within the budget: what the answer needs besides the
 * texts is measured, and the rest is shared out evenly, a note marking each cut text.
 */
function fitTexts(results: QueryResult[]): QueryResult[] {
  const total = results.reduce((n, r) => n + r.results.length, 0);
  if (total === 0) return results;
  const overhead = JSON.stringify({
    results: results.map((r) => ({ ...r, results: r.results.map((c) => ({ ...c, text: "" })) })),
  }).length;
  const note = 48;
  const each = Math.max(
    0,
    Math.min(MAX_RESULT_TEXT, Math.floor((ANSWER_BUDGET - overhead) / total) - note),
  );
  return results.map((result) => ({
    ...result,
    results: result.results.map((chunk) => {
      // Measured as JSON writes it (escapes count), cut in code points.
      if (JSON.stringify(chunk.text).length - 2 <= each + note) return chunk;
      const chars = Array.from(chunk.text);
      let kept = chars.slice(0, each).join("");
      while (JSON.stringify(kept).length - 2 > each) kept = kept.slice(0, -1);
      return {
        ...chunk,
        text: `${kept}… [truncated: ${Array.from(kept).length} of ${chars.length} characters]`,
      };
    }),
  }));
}

export function createRetrievalService(options: {
  store: DocumentStore;
  embedder: Embedder | undefined;
}): RetrievalService {
  const { store, embedder } = options;

  const withScore = (chunk: StoredChunk, score: number): DocumentChunkWithScore => ({
    id: chunk.id,
    text: chunk.text,
    metadata: chunk.metadata,
    score: Math.round(score * 10_000) / 10_000,
  });

  const searchOne = async (owner: Owner, query: Query, vector: Float32Array | undefined) => {
    const topK = query.top_k ?? 3;
    const terms = queryTerms(query.query);
    const text = await store.searchText(
      owner,
      terms,
      query.filter,
      vector === undefined ? topK : CANDIDATES,
    );
    if (vector === undefined) {
      // BM25 weights, relative to the query's best match.
      const best = text[0]?.weight ?? 1;
      return text.map(({ chunk, weight }) => withScore(chunk, best > 0 ? weight / best : 0));
    }
    const near = await store.searchVector(owner, vector, query.filter, CANDIDATES);
    const fused = new Map<number, { chunk: StoredChunk; score: number }>();
    const add = (chunk: StoredChunk, rank: number): void => {
      const entry = fused.get(chunk.rowid) ?? { chunk, score: 0 };
      entry.score += 1 / (RRF_K + rank + 1);
      fused.set(chunk.rowid, entry);
    };
    text.forEach(({ chunk }, rank) => {
      add(chunk, rank);
    });
    near.forEach(({ chunk }, rank) => {
      add(chunk, rank);
    });
    // 1 is first in both lists.
    const top = 2 / (RRF_K + 1);
    return [...fused.values()]
      .sort((a, b) => b.score - a.score || a.chunk.rowid - b.chunk.rowid)
      .slice(0, topK)
      .map(({ chunk, score }) => withScore(chunk, score / top));
  };

  return {
    mode: embedder === undefined ? "keyword" : "hybrid",
    upsert: async (owner, documents) => {
      const seen = new Set<string>();
      const prepared = documents.map((document, index) => {
        const documentId = document.id ?? randomUUID();
        if (seen.has(documentId)) {
          throw new BadRequestError(`documents[${index}].id: ${documentId} is given twice.`);
        }
        seen.add(documentId);
        const createdAt = document.metadata?.created_at;
        if (createdAt !== undefined && toTimestamp(createdAt) === undefined) {
          throw new BadRequestError(
            `documents[${index}].metadata.created_at: ${JSON.stringify(createdAt)} is not a real date.`,
          );
        }
        const { chunks, tooMany } = chunkText(document.text);
        if (tooMany) {
          throw new HttpError(
            413,
            `documents[${index}] is longer than ${MAX_NUM_CHUNKS} chunks of 200 tokens; split it into several documents.`,
            { code: "document_too_large" },
          );
        }
        return { documentId, metadata: document.metadata ?? {}, chunks };
      });
      const texts = prepared.flatMap((p) => p.chunks);
      // Embedded before anything is written: a failed embedding stores nothing.
      const vectors =
        embedder === undefined || texts.length === 0 ? [] : await embedder.embed(texts);
      let next = 0;
      await store.replaceDocuments(
        owner,
        prepared.map(({ documentId, metadata, chunks }) => ({
          documentId,
          chunks: chunks.map((text, position): NewChunk => ({
            id: `${documentId}_${position}`,
            position,
            text,
            metadata: { ...metadata, document_id: documentId },
            embedding: vectors[next++],
          })),
        })),
      );
      return prepared.map((p) => p.documentId);
    },
    query: async (owner, queries) => {
      const asked = queries.reduce((n, q) => n + (q.top_k ?? 3), 0);
      if (asked > MAX_RESULTS) {
        throw new BadRequestError(
          `The queries ask for ${asked} results in all (the sum of their top_k); the limit is ${MAX_RESULTS}. Ask fewer queries or smaller top_k.`,
          { code: "too_many_results" },
        );
      }
      const vectors =
        embedder === undefined ? [] : await embedder.embed(queries.map((q) => q.query));
      const results: QueryResult[] = [];
      for (const [index, query] of queries.entries()) {
        results.push({
          query: query.query,
          results: await searchOne(owner, query, vectors[index]),
        });
      }
      return fitTexts(results);
    },
    delete: async (owner, request) => {
      const ids = request.ids ?? [];
      if (request.delete_all === true) {
        await store.delete(owner, { kind: "all" });
      } else if (ids.length > 0) {
        await store.delete(owner, { kind: "ids", ids });
      } else if (request.filter !== undefined && Object.keys(request.filter).length > 0) {
        await store.delete(owner, { kind: "filter", filter: request.filter });
      } else {
        throw new BadRequestError(
          "Say what to delete: ids, a filter with at least one field, or delete_all: true.",
          { code: "nothing_to_delete" },
        );
      }
    },
    embedMissing: async () => {
      if (embedder === undefined) return 0;
      let done = 0;
      for (;;) {
        const rows = await store.chunksWithoutEmbedding(512);
        if (rows.length === 0) return done;
        const vectors = await embedder.embed(rows.map((r) => r.text));
        await store.setEmbeddings(
          rows.map((row, i) => ({ rowid: row.rowid, embedding: vectors[i] ?? new Float32Array() })),
        );
        done += rows.length;
      }
    },
  };
}
