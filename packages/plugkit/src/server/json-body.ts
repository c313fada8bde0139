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

/** Whether a parsed JSON value holds a string with U+0000 anywhere. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 64 || typeof value !== "object" || value === null) return false;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes("\u0000") || holdsNul(item, depth + 1)) return true;
  }
  return false;
}

/**
 * Refuses text with the NUL character (U+0000) in the path, the query or a JSON body with a
 * 400: PostgreSQL cannot store it (SQLite can), so every database behaves the same, and no
 * operation sees a string a C library would cut short.
 */
export const refuseNulCharacters: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.originalUrl) || holdsNul(req.body)) {
    next(
      new HttpError(400, "Text must not contain the NUL character (U+0000).", {
        code: "invalid_character",
      }),
    );
    return;
  }
  next();
};
