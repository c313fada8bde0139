/**
 * OAuth's errors (RFC 6749 §4.1.2.1 and §5.2, RFC 7009, RFC 7591, RFC 8707), one class per
 * error code. Each knows its response: the status and the `{ error, error_description }` body
 * that plugkit's error handler sends for it, never the API's error shape.
 */
export abstract class OAuthError extends Error {
  abstract readonly code: string;
  /** The HTTP status at the token, revocation and registration endpoints. */
  readonly status: number = 400;
  /** Extra response headers, e.g. `WWW-Authenticate` for a client that sent HTTP Basic. */
  readonly headers: Record<string, string>;

  constructor(
    description: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(description, { cause: options.cause });
    this.headers = options.headers ?? {};
  }

  /** The JSON body of the error. */
  toResponse(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}

/** A parameter is missing, repeated, malformed or not allowed. */
export class InvalidRequestError extends OAuthError {
  override readonly name = "InvalidRequestError";
  readonly code = "invalid_request";
}

/** The client is unknown or failed to authenticate. */
export class InvalidClientError extends OAuthError {
  override readonly name = "InvalidClientError";
  readonly code = "invalid_client";
  override readonly status = 401;
}

/** The code or refresh token is invalid, expired, used, or was issued to another client or redirect URI. */
export class InvalidGrantError extends OAuthError {
  override readonly name = "InvalidGrantError";
  readonly code = "invalid_grant";
}

/** The client may not use this grant type. */
export class UnauthorizedClientError extends OAuthError {
  override readonly name = "UnauthorizedClientError";
  readonly code = "unauthorized_client";
}

/** The grant type is not one this server supports. */
export class UnsupportedGrantTypeError extends OAuthError {
  override readonly name = "UnsupportedGrantTypeError";
  readonly code = "unsupported_grant_type";
}

/** A requested scope is unknown, or wider than the grant. */
export class InvalidScopeError extends OAuthError {
  override readonly name = "InvalidScopeError";
  readonly code = "invalid_scope";
}

/** The requested resource (RFC 8707) is not one this server issues tokens for. */
export class InvalidTargetError extends OAuthError {
  override readonly name = "InvalidTargetError";
  readonly code = "invalid_target";
}

/** The user (or the server) denied the request. */
export class AccessDeniedError extends OAuthError {
  override readonly name = "AccessDeniedError";
  readonly code = "access_denied";
}

/** The response type is not `code`. */
export class UnsupportedResponseTypeError extends OAuthError {
  override readonly name = "UnsupportedResponseTypeError";
  readonly code = "unsupported_response_type";
}

/** Too many requests for now (registration is rate-limited). */
export class TemporarilyUnavailableError extends OAuthError {
  override readonly name = "TemporarilyUnavailableError";
  readonly code = "temporarily_unavailable";
  override readonly status = 429;
}

/** RFC 7591: a redirect URI a client tried to register is not acceptable. */
export class InvalidRedirectUriError extends OAuthError {
  override readonly name = "InvalidRedirectUriError";
  readonly code = "invalid_redirect_uri";
}

/** RFC 7591: other client metadata is not acceptable. */
export class InvalidClientMetadataError extends OAuthError {
  override readonly name = "InvalidClientMetadataError";
  readonly code = "invalid_client_metadata";
}

/** RFC 7009: the token type hint names a type this server cannot revoke. */
export class UnsupportedTokenTypeError extends OAuthError {
  override readonly name = "UnsupportedTokenTypeError";
  readonly code = "unsupported_token_type";
}

/** The endpoint is switched off (registration with OAUTH_DYNAMIC_REGISTRATION=false). */
export class EndpointDisabledError extends OAuthError {
  override readonly name = "EndpointDisabledError";
  readonly code = "invalid_request";
  override readonly status = 404;
}
