import type { ErrorRequestHandler, RequestHandler } from "express";
import type { ValidateError } from "@tsoa/runtime";
import { OAuthError } from "../auth/oauth/oauth-errors";
import { HttpError, type ErrorResponse, type FieldErrors } from "../errors";
import { silentLogger, type Logger } from "../logging/logger";
import { logOf } from "../logging/request-logging";
import { compilePath } from "./paths";
import { requestIdOf } from "./request-id";

interface MappedError {
  status: number;
  body: ErrorResponse | ReturnType<OAuthError["toResponse"]>;
  headers: Record<string, string>;
}

// Errors raised by express.json() (body-parser) carry a `type` and a 4xx `status`.
const BODY_PARSER_ERRORS: Record<
  string,
  { code: string; message: (e: BodyParserError) => string }
> = {
  "entity.parse.failed": {
    code: "invalid_json",
    message: (e) => `The request body is not valid JSON: ${e.message}`,
  },
  "entity.too.large": {
    code: "payload_too_large",
    message: (e) =>
      `The request body is ${e.length ?? "too many"} bytes; the limit is ${e.limit ?? "lower"} bytes.`,
  },
  "encoding.unsupported": {
    code: "unsupported_media_type",
    message: (e) => `${e.message}; send the body uncompressed or gzip/deflate/br encoded.`,
  },
  "charset.unsupported": {
    code: "unsupported_media_type",
    message: (e) => `${e.message}; send JSON as UTF-8.`,
  },
  "request.aborted": { code: "request_aborted", message: () => "The request was aborted." },
  "request.size.invalid": {
    code: "bad_request",
    message: () => "The request body length does not match its Content-Length header.",
  },
};

interface BodyParserError {
  type: string;
  status: number;
  message: string;
  length?: number;
  limit?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  const e = err as Partial<BodyParserError> | null;
  return typeof e?.type === "string" && typeof e.status === "number";
}

/**
 * tsoa's `ValidateError`, told by its name and fields rather than its class, so that answering
 * an error never loads tsoa's validation runtime (see tsoa/lazy-template-service).
 */
function isValidateError(err: unknown): err is ValidateError {
  if (!(err instanceof Error) || err.name !== "ValidateError") return false;
  const fields: unknown = (err as Partial<ValidateError>).fields;
  return typeof fields === "object" && fields !== null;
}

function validationError(err: ValidateError): MappedError {
  const fields: FieldErrors = {};
  for (const [field, detail] of Object.entries(err.fields)) {
    // tsoa names array items `ids.$1`; `ids[1]` is what a client recognises.
    fields[field.replace(/\.\$(\d+)/g, "[$1]")] = { message: detail.message };
  }
  const list = Object.entries(fields).map(([field, { message }]) => `${field}: ${message}`);
  return {
    status: 400,
    body: { error: "validation_failed", message: `Invalid request. ${list.join("; ")}.`, fields },
    headers: {},
  };
}

/** Limits multer (file uploads) enforces: the request is too large, a 413. */
const MULTER_LIMITS = new Set([
  "LIMIT_PART_COUNT",
  "LIMIT_FILE_SIZE",
  "LIMIT_FILE_COUNT",
  "LIMIT_FIELD_KEY",
  "LIMIT_FIELD_VALUE",
  "LIMIT_FIELD_COUNT",
]);
/** What busboy (multer's parser) throws for a multipart body that is not well formed. */
const MALFORMED_MULTIPART =
  /^(Unexpected end of form|Malformed part header|Multipart: Boundary not found|Unexpected end of multipart data|Malformed urlencoded form)/;

/** An upload's errors (multer's and its parser's) as 400 or 413, else undefined. */
function multipartError(err: unknown): MappedError | undefined {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; field?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : "";
  if (e?.name === "MulterError" && typeof e.code === "string") {
    const field = typeof e.field === "string" ? ` (${e.field})` : "";
    const tooLarge = MULTER_LIMITS.has(e.code);
    return {
      status: tooLarge ? 413 : 400,
      body: {
        error: tooLarge ? "payload_too_large" : "bad_upload",
        message: `${message}${field}.`,
      },
      headers: {},
    };
  }
  if (err instanceof Error && MALFORMED_MULTIPART.test(message)) {
    return {
      status: 400,
      body: {
        error: "malformed_multipart",
        message: `The multipart body is malformed: ${message}.`,
      },
      headers: {},
    };
  }
  return undefined;
}

/**
 * Maps anything thrown while handling a request to a status and a JSON body: an
 * {@link HttpError} as it says, tsoa's validation errors to 400 naming each field, the JSON
 * parser's errors to 400/413/415, other client errors (4xx `status`) to their status, and
 * everything else to a 500 that hides the details and carries the request id.
 */
export function mapError(err: unknown, requestId: string): MappedError {
  if (err instanceof OAuthError) {
    // RFC 6749 §5.2's shape, not the API's: OAuth clients read `error` and `error_description`.
    return {
      status: err.status,
      body: err.toResponse(),
      headers: { "Cache-Control": "no-store", Pragma: "no-cache", ...err.headers },
    };
  }
  if (err instanceof HttpError) {
    return { status: err.status, body: err.toResponse(), headers: err.headers };
  }
  if (isValidateError(err)) return validationError(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    // Another process held the write lock for longer than the busy timeout: nothing was
    // written, and the client may simply retry.
    return {
      status: 503,
      body: {
        error: "database_busy",
        message: "The database is busy with other writes; retry in a moment.",
      },
      headers: { "Retry-After": "1" },
    };
  }
  const multipart = multipartError(err);
  if (multipart !== undefined) return multipart;
  if (isBodyParserError(err) && err.status >= 400 && err.status < 500) {
    const known = BODY_PARSER_ERRORS[err.type];
    return {
      status: err.status,
      body: {
        error: known?.code ?? "bad_request",
        message: known?.message(err) ?? err.message,
      },
      headers: {},
    };
  }
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // e.g. Express's 400 for a path parameter that is not valid percent-encoding.
    const message = (err as { message?: unknown }).message;
    return {
      status,
      body: {
        error: "bad_request",
        message: typeof message === "string" ? message : "Bad request.",
      },
      headers: {},
    };
  }
  return {
    status: 500,
    body: {
      error: "internal_error",
      message: `The plugin failed to handle this request. Report request id ${requestId} if it persists.`,
      request_id: requestId,
    },
    headers: {},
  };
}

/**
 * The one error handler of a plugin app: every error becomes a JSON {@link ErrorResponse};
 * server errors are logged, with their stack, on the request's logger (so with its id).
 */
export function createErrorHandler(logger: Logger = silentLogger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const requestId = requestIdOf(res);
    const mapped = mapError(err, requestId);
    if (mapped.status >= 500) {
      const log = logOf(res, logger);
      const details = { method: req.method, path: req.path, status: mapped.status, err };
      // A dependency that is down is reported where it is detected; one line per request is enough.
      if (mapped.status === 503) log.warn({ ...details, err: String(err) }, "request refused");
      else log.error(details, "request failed");
    }
    res.status(mapped.status).set(mapped.headers).json(mapped.body);
  };
}

/** A route the app serves: its method and its Express path (`/todos/:username`). */
export interface KnownRoute {
  method: string;
  path: string;
}

/**
 * Answers a request for a path the app serves, with a method it does not, with 405 and `Allow`
 * (RFC 9110 §15.5.6), in the API's error shape; other requests go on (to the 404).
 */
export function methodNotAllowedHandler(routes: readonly KnownRoute[]): RequestHandler {
  const known = routes.flatMap((route) => {
    const pattern = compilePath(route.path);
    return route.method === "all" || pattern === undefined
      ? []
      : [{ method: route.method.toUpperCase(), regex: pattern.regex }];
  });
  return (req, res, next) => {
    const allowed = new Set(
      known.filter((route) => route.regex.test(req.path)).map((route) => route.method),
    );
    if (allowed.size === 0 || allowed.has(req.method)) {
      next();
      return;
    }
    if (allowed.has("GET")) allowed.add("HEAD");
    const allow = [...allowed].sort().join(", ");
    const body: ErrorResponse = {
      error: "method_not_allowed",
      message: `${req.method} is not an operation of ${req.path}; it takes ${allow}.`,
    };
    res.status(405).set("Allow", allow).json(body);
  };
}

/** Answers every request no route matched with a JSON 404. */
export const notFoundHandler: RequestHandler = (req, res) => {
  const body: ErrorResponse = {
    error: "not_found",
    message: `There is no ${req.method} ${req.path}. The operations are listed in /openapi.yaml.`,
  };
  res.status(404).json(body);
};
