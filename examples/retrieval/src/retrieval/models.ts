/**
 * The retrieval plugin's models, as OpenAI's reference defines them (`models/models.py` and
 * `models/api.py`): the same field names, optionality and defaults.
 */

/** Where a document came from. */
export type Source = "email" | "file" | "chat";

export interface DocumentMetadata {
  /** Where the document came from: email, file or chat. */
  source?: Source;
  /** The document's id in its source, e.g. a file name or an email's message id. */
  source_id?: string;
  /** Where the document can be read. */
  url?: string;
  /**
   * When the document was created, as an ISO 8601 date or date-time.
   * @pattern ^\d{4}-\d{2}-\d{2}([Tt\s]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$ created_at must be an ISO 8601 date or date-time, e.g. 2024-07-01 or 2024-07-01T09:30:00Z
   */
  created_at?: string;
  /** Who wrote the document. */
  author?: string;
}

export interface DocumentChunkMetadata extends DocumentMetadata {
  /** The id of the document the chunk is part of. */
  document_id?: string;
}

export interface Document {
  /**
   * The document's id; upserting a document with an existing id replaces it. A new id is made
   * when absent.
   * @minLength 1 id must not be empty
   * @maxLength 200 id must be at most 200 characters
   */
  id?: string;
  /**
   * The document's text; it is split into chunks of about 200 tokens.
   * @minLength 1 text must not be empty
   */
  text: string;
  metadata?: DocumentMetadata;
}

/** Narrows a query to chunks whose metadata match every field given. */
export interface DocumentMetadataFilter {
  document_id?: string;
  source?: Source;
  source_id?: string;
  author?: string;
  /** Chunks of documents created on or after this ISO 8601 date or date-time. */
  start_date?: string;
  /** Chunks of documents created on or before this ISO 8601 date or date-time. */
  end_date?: string;
}

export interface Query {
  /**
   * What to search for, in natural language.
   * @minLength 1 query must not be empty
   * @maxLength 2000 query must be at most 2000 characters
   */
  query: string;
  filter?: DocumentMetadataFilter;
  /**
   * How many chunks to return.
   * @isInt top_k must be a whole number
   * @minimum 1 top_k must be at least 1
   * @maximum 50 top_k must be at most 50
   * @default 3
   */
  top_k?: number;
}

export interface DocumentChunkWithScore {
  /** The chunk's id: the document's id, an underscore and the chunk's position. */
  id: string;
  /**
   * The chunk's text. When an answer would be over 95,000 characters, texts are cut short
   * (each then ends with "[truncated: N of M characters]"): ask for fewer results for full texts.
   */
  text: string;
  metadata: DocumentChunkMetadata;
  /** How well the chunk matches the query, from 0 to 1 (1 is the best match of the query). */
  score: number;
}

export interface QueryResult {
  query: string;
  results: DocumentChunkWithScore[];
}

export interface UpsertRequest {
  /**
   * The documents to store.
   * @minItems 1 documents must not be empty
   * @maxItems 100 at most 100 documents per request
   */
  documents: Document[];
}

export interface UpsertResponse {
  /** The ids of the stored documents, in the order given. */
  ids: string[];
}

export interface QueryRequest {
  /**
   * One or more searches, answered together; their top_k add up to at most 100.
   * @minItems 1 queries must not be empty
   * @maxItems 20 at most 20 queries per request
   */
  queries: Query[];
}

export interface QueryResponse {
  results: QueryResult[];
}

export interface DeleteRequest {
  /** Delete these documents (by document id) and all their chunks. */
  ids?: string[];
  /** Delete every chunk whose metadata match. */
  filter?: DocumentMetadataFilter;
  /** Delete everything. @default false */
  delete_all?: boolean;
}

export interface DeleteResponse {
  success: boolean;
}
