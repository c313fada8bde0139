import type { Request as ExpressRequest } from "express";
import {
  BadRequestError,
  Body,
  Controller,
  Delete,
  Extension,
  FormField,
  Hidden,
  OperationId,
  Post,
  Request,
  Response,
  Route,
  Security,
  SuccessResponse,
  UploadedFile,
  X_OPENAI_IS_CONSEQUENTIAL,
  getPluginContext,
  type ErrorResponse,
} from "plugkit";
import { extractText } from "../files/extract-text";
import type {
  DeleteRequest,
  DeleteResponse,
  DocumentMetadata,
  QueryRequest,
  QueryResponse,
  UpsertRequest,
  UpsertResponse,
} from "../retrieval/models";
import type { Owner } from "../store/document-store";
import type { AppServices } from "../services";

/** Whose documents a request works on: the signed-in account's, or the shared space. */
function ownerOf(req: ExpressRequest): Owner {
  const { caller } = getPluginContext(req);
  return caller.kind === "account" ? caller.account.id : null;
}

const SOURCES = new Set(["email", "file", "chat"]);

/** The `metadata` form field of an upload: a JSON object of document metadata, or nothing. */
function parseMetadata(raw: string | undefined): DocumentMetadata {
  if (raw === undefined || raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new BadRequestError('metadata must be a JSON object, e.g. {"source": "file"}.');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BadRequestError('metadata must be a JSON object, e.g. {"source": "file"}.');
  }
  const metadata: DocumentMetadata = {};
  for (const [key, field] of Object.entries(value)) {
    if (!["source", "source_id", "url", "created_at", "author"].includes(key)) {
      throw new BadRequestError(
        `metadata.${key} is not a metadata field; use source, source_id, url, created_at or author.`,
      );
    }
    if (typeof field !== "string") throw new BadRequestError(`metadata.${key} must be a string.`);
    if (key === "source" && !SOURCES.has(field)) {
      throw new BadRequestError("metadata.source must be email, file or chat.");
    }
    (metadata as Record<string, string>)[key] = field;
  }
  return metadata;
}

/**
 * The retrieval plugin's API, as OpenAI's reference defines it: store documents, search them,
 * delete them.
 */
@Route("")
@Security("plugin")
@Response<ErrorResponse>(400, "Invalid request; the message names the field")
export class RetrievalController extends Controller {
  constructor(private readonly services: AppServices) {
    super();
  }

  /**
   * Accepts an array of queries, each with an optional filter. Break complex questions into sub-questions. Refine by metadata (time, source) only when needed.
   * @summary Search the user's documents
   */
  @Post("query")
  @OperationId("query_query_post")
  @SuccessResponse(200, "OK")
  public async query(
    @Body() body: QueryRequest,
    @Request() req: ExpressRequest,
  ): Promise<QueryResponse> {
    return { results: await this.services.retrieval.query(ownerOf(req), body.queries) };
  }

  /**
   * Stores documents, split into chunks of about 200 tokens. A document whose id is already stored is replaced, all its old chunks at once.
   * @summary Store documents
   */
  @Post("upsert")
  @OperationId("upsert_upsert_post")
  @Extension(X_OPENAI_IS_CONSEQUENTIAL, true)
  @SuccessResponse(200, "OK")
  @Response<ErrorResponse>(413, "A document is longer than 10,000 chunks")
  @Response<ErrorResponse>(502, "The embeddings service failed; nothing was stored")
  public async upsert(
    @Body() body: UpsertRequest,
    @Request() req: ExpressRequest,
  ): Promise<UpsertResponse> {
    return { ids: await this.services.retrieval.upsert(ownerOf(req), body.documents) };
  }

  /**
   * Deletes documents by id, the chunks whose metadata match a filter, or everything. One of the three is required.
   * @summary Delete documents
   */
  @Delete("delete")
  @OperationId("delete_delete_delete")
  @Extension(X_OPENAI_IS_CONSEQUENTIAL, true)
  @SuccessResponse(200, "OK")
  public async delete(
    @Body() body: DeleteRequest,
    @Request() req: ExpressRequest,
  ): Promise<DeleteResponse> {
    await this.services.retrieval.delete(ownerOf(req), body);
    return { success: true };
  }

  /**
   * Stores an uploaded file (.txt, .md, .csv, .pdf or .docx, at most 10 MB) as one document whose id is a new one, with the metadata given as a JSON string. Not in the model's spec: a model cannot upload files.
   * @summary Store a file
   */
  @Hidden()
  @Post("upsert-file")
  @OperationId("upsert_file_upsert_file_post")
  @SuccessResponse(200, "OK")
  public async upsertFile(
    @UploadedFile("file") file: Express.Multer.File,
    @Request() req: ExpressRequest,
    @FormField() metadata?: string,
  ): Promise<UpsertResponse> {
    // tsoa passes undefined when the form has no file part.
    if ((file as Express.Multer.File | undefined) === undefined) {
      throw new BadRequestError('Send the file as multipart/form-data in a field named "file".', {
        code: "missing_file",
      });
    }
    const text = await extractText(file);
    if (text.trim() === "") {
      throw new BadRequestError(`${JSON.stringify(file.originalname)} has no text to store.`, {
        code: "empty_file",
      });
    }
    const documentMetadata = parseMetadata(metadata);
    const ids = await this.services.retrieval.upsert(ownerOf(req), [
      { text, metadata: { source: "file", source_id: file.originalname, ...documentMetadata } },
    ]);
    return { ids };
  }
}
