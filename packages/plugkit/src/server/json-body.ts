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
