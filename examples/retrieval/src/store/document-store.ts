import type Database from "better-sqlite3";
import type { PluginMigrations } from "plugkit";
import type { DocumentChunkMetadata, DocumentMetadataFilter, Source } from "../retrieval/models";

/** The chunks table and its full-text index, migrated at start-up after plugkit's tables. */
export const RETRIEVAL_MIGRATIONS: PluginMigrations = {
  component: "retrieval",
  sqlite: [
    `CREATE TABLE chunks (
       rowid       INTEGER PRIMARY KEY,
       account_id  INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
       id          TEXT    NOT NULL,
       document_id TEXT    NOT NULL,
       position    INTEGER NOT NULL,
       text        TEXT    NOT NULL,
       source      TEXT,
       source_id   TEXT,
       url         TEXT,
       created_at  TEXT,
       created_ts  REAL,
       author      TEXT,
       embedding   BLOB
     );
     CREATE UNIQUE INDEX chunks_by_id ON chunks (coalesce(account_id, 0), id);
     CREATE INDEX chunks_by_document ON chunks (coalesce(account_id, 0), document_id);
     CREATE VIRTUAL TABLE chunks_fts USING fts5(
       text, content = 'chunks', content_rowid = 'rowid',
       tokenize = 'porter unicode61 remove_diacritics 2'
     );
     CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
       INSERT INTO chunks_fts (rowid, text) VALUES (new.rowid, new.text);
     END;
     CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
       INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
     END;`,
  ],
  postgres: [
    `CREATE TABLE chunks (
       rowid       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       account_id  bigint REFERENCES accounts (id) ON DELETE CASCADE,
       id          text    NOT NULL,
       document_id text    NOT NULL,
       position    integer NOT NULL,
       text        text    NOT NULL,
       source      text,
       source_id   text,
       url         text,
       created_at  text,
       created_ts  double precision,
       author      text,
       embedding   real[],
       tsv         tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
     );
     CREATE UNIQUE INDEX chunks_by_id ON chunks ((coalesce(account_id, 0)), id);
     CREATE INDEX chunks_by_document ON chunks ((coalesce(account_id, 0)), document_id);
     CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
     CREATE FUNCTION retrieval_cosine_distance(a real[], b real[]) RETURNS double precision
       LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT 1 - sum(x * y) / nullif(sqrt(sum(x * x)) * sqrt(sum(y * y)), 0)
             FROM unnest(a, b) AS t (x, y) $$;`,
  ],
};

/** A chunk to store. */
export interface NewChunk {
  id: string;
  position: number;
  text: string;
  metadata: DocumentChunkMetadata;
  embedding: Float32Array | undefined;
}

/** A stored chunk. */
export interface StoredChunk {
  rowid: number;
  id: string;
  text: string;
  metadata: DocumentChunkMetadata;
}

/** Whose documents: an account's (user_http, oauth), or the shared space (none, service_http). */
export type Owner = number | null;

/** What to delete. */
export type DeleteTarget =
  | { kind: "ids"; ids: readonly string[] }
  | { kind: "filter"; filter: DocumentMetadataFilter }
  | { kind: "all" };

/** Where the chunks live, and the two searches over them. */
export interface DocumentStore {
  /** Replaces each document's chunks with the new ones, all documents in one transaction. */
  replaceDocuments(
    owner: Owner,
    documents: readonly { documentId: string; chunks: readonly NewChunk[] }[],
  ): Promise<void>;
  /** Full-text (BM25) matches of `terms`, best first, with their BM25 weight (higher is better). */
  searchText(
    owner: Owner,
    terms: readonly string[],
    filter: DocumentMetadataFilter | undefined,
    limit: number,
  ): Promise<{ chunk: StoredChunk; weight: number }[]>;
  /** The chunks nearest to `vector` by cosine distance, among those with embeddings. */
  searchVector(
    owner: Owner,
    vector: Float32Array,
    filter: DocumentMetadataFilter | undefined,
    limit: number,
  ): Promise<{ chunk: StoredChunk; distance: number }[]>;
  delete(owner: Owner, target: DeleteTarget): Promise<number>;
  /** Chunks stored without an embedding (before `OPENAI_API_KEY` was set), any owner. */
  chunksWithoutEmbedding(limit: number): Promise<{ rowid: number; text: string }[]>;
  setEmbeddings(rows: readonly { rowid: number; embedding: Float32Array }[]): Promise<void>;
  count(owner: Owner): Promise<number>;
}

/** An ISO 8601 date or date-time as Unix seconds; a date alone is its first (or last) second. */
export function toTimestamp(value: string, endOfDay = false): number | undefined {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) return undefined;
  return ms / 1000 + (dateOnly && endOfDay ? 86_399.999 : 0);
}

/** A chunk row as both databases return it. */
export interface ChunkRow {
  rowid: number;
  id: string;
  document_id: string;
  text: string;
  source: string | null;
  source_id: string | null;
  url: string | null;
  created_at: string | null;
  author: string | null;
}

const COLUMNS =
  "c.rowid, c.id, c.document_id, c.text, c.source, c.source_id, c.url, c.created_at, c.author";

/** A chunk row with its metadata gathered. */
export function toChunk(row: ChunkRow): StoredChunk {
  const metadata: DocumentChunkMetadata = { document_id: row.document_id };
  if (row.source !== null) metadata.source = row.source as Source;
  if (row.source_id !== null) metadata.source_id = row.source_id;
  if (row.url !== null) metadata.url = row.url;
  if (row.created_at !== null) metadata.created_at = row.created_at;
  if (row.author !== null) metadata.author = row.author;
  return { rowid: row.rowid, id: row.id, text: row.text, metadata };
}

/**
 * The WHERE conditions of an owner and a filter over chunks `c`, with their values; the n-th
 * value (from 0) is written as `placeholder(n)` (`?` for SQLite, `$n` for PostgreSQL).
 */
export function filterConditions(
  owner: Owner,
  filter: DocumentMetadataFilter | undefined,
  placeholder: (index: number) => string,
): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (condition: string, value: unknown): void => {
    parts.push(`${condition} ${placeholder(values.length)}`);
    values.push(value);
  };
  // NULL (the shared space) equals NULL here, in both databases.
  add("c.account_id IS NOT DISTINCT FROM", owner);
  for (const column of ["document_id", "source", "source_id", "author"] as const) {
    const value = filter?.[column];
    if (value !== undefined) add(`c.${column} =`, value);
  }
  if (filter?.start_date !== undefined) {
    add("c.created_ts >=", toTimestamp(filter.start_date) ?? 0);
  }
  if (filter?.end_date !== undefined) {
    add("c.created_ts <=", toTimestamp(filter.end_date, true) ?? 0);
  }
  return { sql: parts.join(" AND "), values };
}

/**
 * A chunk's values in the order of both stores' INSERT: owner, id, document, position, text,
 * metadata, creation time, and the embedding as `embedding` stores it (or null).
 */
export function chunkValues(
  owner: Owner,
  documentId: string,
  chunk: NewChunk,
  embedding: (vector: Float32Array) => unknown,
): unknown[] {
  const m = chunk.metadata;
  return [
    owner,
    chunk.id,
    documentId,
    chunk.position,
    chunk.text,
    m.source ?? null,
    m.source_id ?? null,
    m.url ?? null,
    m.created_at ?? null,
    m.created_at === undefined ? null : (toTimestamp(m.created_at) ?? null),
    m.author ?? null,
    chunk.embedding === undefined ? null : embedding(chunk.embedding),
  ];
}

const sqlitePlaceholder = (): string => "?";

const blob = (vector: Float32Array): Buffer =>
  Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

/**
 * The document store on the plugin's SQLite database: FTS5 with BM25 for keywords, and
 * sqlite-vec's cosine distance over stored embeddings (an exact scan, with the filters in the
 * same query). `sqlite-vec` is loaded into the connection here.
 */
export function createSqliteDocumentStore(db: Database.Database): DocumentStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("sqlite-vec") as { load(db: Database.Database): void }).load(db);
  const insert = db.prepare(
    `INSERT INTO chunks (account_id, id, document_id, position, text, source, source_id, url,
       created_at, created_ts, author, embedding)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const removeDocument = db.prepare(
    "DELETE FROM chunks WHERE coalesce(account_id, 0) = coalesce(?, 0) AND document_id = ?",
  );
  const replace = db.transaction(
    (owner: Owner, documents: readonly { documentId: string; chunks: readonly NewChunk[] }[]) => {
      for (const { documentId, chunks } of documents) {
        removeDocument.run(owner, documentId);
        for (const chunk of chunks) insert.run(...chunkValues(owner, documentId, chunk, blob));
      }
    },
  );
  const setEmbedding = db.prepare("UPDATE chunks SET embedding = ? WHERE rowid = ?");
  const setMany = db.transaction((rows: readonly { rowid: number; embedding: Float32Array }[]) => {
    for (const row of rows) setEmbedding.run(blob(row.embedding), row.rowid);
  });

  return {
    replaceDocuments: async (owner, documents) => {
      replace.immediate(owner, documents);
    },
    searchText: async (owner, terms, filter, limit) => {
      if (terms.length === 0) return [];
      const where = filterConditions(owner, filter, sqlitePlaceholder);
      // Each term quoted: FTS5 syntax in a user's words must not be read as operators.
      const match = terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(" OR ");
      const rows = db
        .prepare<unknown[], ChunkRow & { weight: number }>(
          `SELECT ${COLUMNS}, -bm25(chunks_fts) AS weight
           FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid
           WHERE chunks_fts MATCH ? AND ${where.sql}
           ORDER BY bm25(chunks_fts) LIMIT ?`,
        )
        .all(match, ...where.values, limit);
      return rows.map((row) => ({ chunk: toChunk(row), weight: row.weight }));
    },
    searchVector: async (owner, vector, filter, limit) => {
      const where = filterConditions(owner, filter, sqlitePlaceholder);
      const rows = db
        .prepare<unknown[], ChunkRow & { distance: number }>(
          `SELECT ${COLUMNS}, vec_distance_cosine(c.embedding, ?) AS distance
           FROM chunks c WHERE c.embedding IS NOT NULL AND ${where.sql}
           ORDER BY distance LIMIT ?`,
        )
        .all(blob(vector), ...where.values, limit);
      return rows.map((row) => ({ chunk: toChunk(row), distance: row.distance }));
    },
    delete: async (owner, target) => {
      if (target.kind === "all") {
        return db.prepare("DELETE FROM chunks WHERE account_id IS ?").run(owner).changes;
      }
      if (target.kind === "ids") {
        let changes = 0;
        db.transaction(() => {
          for (const id of target.ids) changes += removeDocument.run(owner, id).changes;
        }).immediate();
        return changes;
      }
      const where = filterConditions(owner, target.filter, sqlitePlaceholder);
      return db
        .prepare(
          `DELETE FROM chunks WHERE rowid IN (SELECT c.rowid FROM chunks c WHERE ${where.sql})`,
        )
        .run(...where.values).changes;
    },
    chunksWithoutEmbedding: async (limit) =>
      db
        .prepare<[number], { rowid: number; text: string }>(
          "SELECT rowid, text FROM chunks WHERE embedding IS NULL ORDER BY rowid LIMIT ?",
        )
        .all(limit),
    setEmbeddings: async (rows) => {
      setMany.immediate(rows);
    },
    count: async (owner) =>
      db
        .prepare<[Owner], { n: number }>("SELECT count(*) AS n FROM chunks WHERE account_id IS ?")
        .get(owner)?.n ?? 0,
  };
}
