import express, { type RequestHandler } from "express";
import { HttpError } from "../errors";

const JSON_TYPES = ["application/json", "application/*+json"];

/**
 * Parses JSON request bodies up to `limit`, and refuses a body of any other media type but
 * multipart uploads with a 415 instead of silently ignoring it (which would surface as a confusing "body is required").
 */
export function jsonBody(limit: string | number): RequestHandler[] {
  const parse = express.json({ limit, type: JSON_TYPES });
  const refuseOtherTypes: RequestHandler = (req, _res, next) => {
    // A body an earlier parser read (the OAuth endpoints' forms) is not the API's business.
    if (req.readableEnded) {
      next();
      return;
    }
    const hasBody =
      req.get("transfer-encoding") !== undefined || Number(req.get("content-length") ?? "0") > 0;
    // multipart/form-data is read by the operation's own parser (tsoa's @UploadedFile: multer).
    if (hasBody && req.is([...JSON_TYPES, "multipart/form-data"]) === false) {
      next(
        new HttpError(
          415,
          `Send the request body as JSON with "Content-Type: application/json" (got ${JSON.stringify(req.get("content-type") ?? "no Content-Type")}).`,
        ),
      );
      return;
    }
    next();
  };
  return [refuseOtherTypes, parse];
}

/**
 * Whether a string cannot be stored as it is: it holds U+0000, or a surrogate without its
 * pair (JSON's `"\ud800"` escape), which has no UTF-8 form: SQLite would give it back as three
 * U+FFFD and PostgreSQL as one.
 */
function unstorable(text: string): boolean {
  return text.includes("\u0000") || UNPAIRED_SURROGATE.test(text);
}

// (String.prototype.isWellFormed is in Node 20 but not in the ES2022 types this project uses.)
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a parsed JSON value holds an {@link unstorable} string anywhere, as a key or a value. */
function holdsUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return unstorable(value);
  if (depth > 64 || typeof value !== "object" || value === null) return false;
  for (const [key, item] of Object.entries(value)) {
    if (unstorable(key) || holdsUnstorableText(item, depth + 1)) return true;
  }
  return false;
}

/**
 * Refuses, with a 400, text no database can give back as it was sent: the NUL character
 * (U+0000) in the path, the query or a JSON body (PostgreSQL cannot store it; SQLite can, so
 * both refuse it, and no operation sees a string a C library would cut short), and a JSON
 * string with an unpaired surrogate (not Unicode text; stored, it would come back changed).
 * A path or query with bytes that are not UTF-8 never gets this far decoded.
 */
export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.originalUrl) || holdsUnstorableText(req.body)) {
    next(
      new HttpError(
        400,
        "Text must be Unicode without the NUL character (U+0000) or an unpaired surrogate (\\ud800-\\udfff alone).",
        { code: "invalid_character" },
      ),
    );
    return;
  }
  next();
};
