/**
 * One problem with one input field.
 */
export interface FieldError {
  /** What is wrong with the field, e.g. `todo must be at most 300 characters`. */
  message: string;
}

/**
 * Problems keyed by where the field is: `body.todo`, `username` (a path parameter), `limit` ...
 */
export interface FieldErrors {
  [field: string]: FieldError;
}

/**
 * The JSON body of every error response that plugkit sends.
 */
export interface ErrorResponse {
  /** A stable, machine-readable code such as `validation_failed` or `not_found`. */
  error: string;
  /** What went wrong and how to fix the request. */
  message: string;
  /** For validation errors: each invalid field and what is wrong with it. */
  fields?: FieldErrors;
  /** For server errors: the id to quote when reporting the problem. */
  request_id?: string;
}

/** Options shared by every {@link HttpError}. */
export interface HttpErrorOptions {
  /** Machine-readable code; defaults to one derived from the status (`not_found` for 404). */
  code?: string;
  /** Per-field problems, for validation errors. */
  fields?: FieldErrors;
  /** Extra response headers, e.g. `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** The underlying error, kept for logs; never sent to the client. */
  cause?: unknown;
}

const DEFAULT_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable_entity",
  429: "too_many_requests",
  500: "internal_error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

/**
 * An error that becomes an HTTP response with a JSON {@link ErrorResponse} body.
 * Throw it (or a subclass) from a controller; the plugin app's error handler answers with it.
 *
 * @example
 * throw new NotFoundError("No todo at index 4; the list has 2 todos.", { code: "todo_not_found" });
 */
export class HttpError extends Error {
  override readonly name: string = "HttpError";
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer from 400 to 599, got ${status}`);
    }
    this.status = status;
    this.code =
      options.code ?? DEFAULT_CODES[status] ?? (status < 500 ? "client_error" : "server_error");
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }

  /** The JSON body sent for this error. */
  toResponse(): ErrorResponse {
    const body: ErrorResponse = { error: this.code, message: this.message };
    if (this.fields !== undefined) body.fields = this.fields;
    return body;
  }
}

/** 400: the request is malformed or a field is invalid. */
export class BadRequestError extends HttpError {
  override readonly name = "BadRequestError";
  constructor(message: string, options?: HttpErrorOptions) {
    super(400, message, options);
  }
}

/** 401: credentials are missing, malformed or wrong. Carries the `WWW-Authenticate` challenge. */
export class UnauthorizedError extends HttpError {
  override readonly name = "UnauthorizedError";
  constructor(message: string, challenge: string, options?: Omit<HttpErrorOptions, "headers">) {
    super(401, message, { ...options, headers: { "WWW-Authenticate": challenge } });
  }
}

/** 404: the thing the request names does not exist. */
export class NotFoundError extends HttpError {
  override readonly name = "NotFoundError";
  constructor(message: string, options?: HttpErrorOptions) {
    super(404, message, options);
  }
}

/** 409: the request conflicts with the current state (a full list, a duplicate ...). */
export class ConflictError extends HttpError {
  override readonly name = "ConflictError";
  constructor(message: string, options?: HttpErrorOptions) {
    super(409, message, options);
  }
}

/** The options with a `Retry-After` header of whole seconds (at least 1). */
function withRetryAfter(seconds: number, options: HttpErrorOptions = {}): HttpErrorOptions {
  const retryAfter = String(Math.max(1, Math.ceil(seconds)));
  return { ...options, headers: { ...options.headers, "Retry-After": retryAfter } };
}

/** 429: the caller made too many requests; `Retry-After` says when to try again. */
export class TooManyRequestsError extends HttpError {
  override readonly name = "TooManyRequestsError";
  constructor(message: string, retryAfterSeconds: number, options?: HttpErrorOptions) {
    super(429, message, withRetryAfter(retryAfterSeconds, options));
  }
}

/**
 * 503: something the plugin depends on (its database, Redis) does not answer; nothing was
 * done, and the client may retry after `Retry-After` seconds.
 */
export class ServiceUnavailableError extends HttpError {
  override readonly name = "ServiceUnavailableError";
  constructor(message: string, retryAfterSeconds: number, options?: HttpErrorOptions) {
    super(503, message, withRetryAfter(retryAfterSeconds, options));
  }
}

/** Thrown at startup when configuration is invalid; the message names the setting. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
