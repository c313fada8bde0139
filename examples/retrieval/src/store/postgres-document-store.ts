import type { PostgresDatabase, PostgresQueryable } from "plugkit";
import {
  chunkValues,
  filterConditions,
  toChunk,
  type ChunkRow,
  type DocumentStore,
  type Owner,
} from "./document-store";

const COLUMNS =
  "c.rowid::float8 AS rowid, c.id, c.document_id, c.text, c.source, c.source_id, c.url, c.created_at, c.author";

/** Placeholders for PostgreSQL, numbered from `first`. */
const numbered =
  (first: number) =>
  (index: number): string =>
    `$${first + index}`;

async function removeDocument(tx: PostgresQueryable, owner: Owner, documentId: string) {
  return (
    await tx.query(
      "DELETE FROM chunks WHERE coalesce(account_id, 0) = coalesce($1::bigint, 0) AND document_id = $2",
      [owner, documentId],
    )
  ).rowCount;
}

/**
 * The document store on PostgreSQL, shared by every instance: full-text search with a GIN
 * index on an English `tsvector` (ranked by `ts_rank_cd`), and embeddings as `real[]` compared
 * by an exact cosine distance in SQL. Replacing a document holds an advisory lock on it, so two
 * instances replacing the same document at once take turns.
 */
export function createPostgresDocumentStore(db: PostgresDatabase): DocumentStore {
  return {
    replaceDocuments: (owner, documents) =>
      db.transaction(async (tx) => {
        // Locks in a fixed order: two requests with the same documents cannot deadlock.
        const keys = documents.map((d) => `${owner ?? 0}:${d.documentId}`).sort();
        for (const key of keys) {
          await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
        }
        for (const { documentId, chunks } of documents) {
          await removeDocument(tx, owner, documentId);
          for (const chunk of chunks) {
            await tx.query(
              `INSERT INTO chunks (account_id, id, document_id, position, text, source, source_id,
                 url, created_at, created_ts, author, embedding)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
              chunkValues(owner, documentId, chunk, (vector) => Array.from(vector)),
            );
          }
        }
      }),
    searchText: async (owner, terms, filter, limit) => {
      if (terms.length === 0) return [];
      const where = filterConditions(owner, filter, numbered(2));
      // Terms are letters and digits only (queryTerms), so the tsquery cannot be malformed.
      const rows = await db.query<ChunkRow & { weight: number }>(
        `SELECT ${COLUMNS}, ts_rank_cd(c.tsv, q) AS weight
         FROM chunks c, to_tsquery('english', $1) q
         WHERE c.tsv @@ q AND ${where.sql}
         ORDER BY weight DESC, c.rowid LIMIT ${Math.max(1, Math.floor(limit))}`,
        [terms.join(" | "), ...where.values],
      );
      return rows.rows.map((row) => ({ chunk: toChunk(row), weight: row.weight }));
    },
    searchVector: async (owner, vector, filter, limit) => {
      const where = filterConditions(owner, filter, numbered(2));
      const rows = await db.query<ChunkRow & { distance: number }>(
        `SELECT ${COLUMNS}, retrieval_cosine_distance(c.embedding, $1::real[]) AS distance
         FROM chunks c WHERE c.embedding IS NOT NULL AND ${where.sql}
         ORDER BY distance, c.rowid LIMIT ${Math.max(1, Math.floor(limit))}`,
        [Array.from(vector), ...where.values],
      );
      return rows.rows.map((row) => ({ chunk: toChunk(row), distance: row.distance }));
    },
    delete: async (owner, target) => {
      if (target.kind === "all") {
        return (
          await db.query("DELETE FROM chunks WHERE account_id IS NOT DISTINCT FROM $1", [owner])
        ).rowCount;
      }
      if (target.kind === "ids") {
        return db.transaction(async (tx) => {
          let changes = 0;
          for (const id of target.ids) changes += await removeDocument(tx, owner, id);
          return changes;
        });
      }
      const where = filterConditions(owner, target.filter, numbered(1));
      return (
        await db.query(
          `DELETE FROM chunks WHERE rowid IN (SELECT c.rowid FROM chunks c WHERE ${where.sql})`,
          where.values,
        )
      ).rowCount;
    },
    chunksWithoutEmbedding: async (limit) =>
      (
        await db.query<{ rowid: number; text: string }>(
          "SELECT rowid::float8 AS rowid, text FROM chunks WHERE embedding IS NULL ORDER BY rowid LIMIT $1",
          [limit],
        )
      ).rows,
    setEmbeddings: (rows) =>
      db.transaction(async (tx) => {
        for (const row of rows) {
          await tx.query("UPDATE chunks SET embedding = $1 WHERE rowid = $2", [
            Array.from(row.embedding),
            row.rowid,
          ]);
        }
      }),
    count: async (owner) =>
      Number(
        (
          await db.query<{ n: string }>(
            "SELECT count(*) AS n FROM chunks WHERE account_id IS NOT DISTINCT FROM $1",
            [owner],
          )
        ).rows[0]?.n ?? 0,
      ),
  };
}
