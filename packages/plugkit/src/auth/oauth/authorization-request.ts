import {
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  type OAuthError,
  UnsupportedResponseTypeError,
} from "./oauth-errors";
import type { OAuthClient } from "./oauth-clients";

/** The parameters of an authorization request, carried from the page through the form. */
export const AUTHORIZATION_PARAMS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "state",
  "scope",
  "code_challenge",
  "code_challenge_method",
  "resource",
] as const;
export type AuthorizationParams = Record<(typeof AUTHORIZATION_PARAMS)[number], string>;

/** A checked authorization request, ready to show the sign-in page for and to grant. */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  /** Empty when the client sent none (allowed with PKCE). */
  state: string;
  scope: string | undefined;
  codeChallenge: string | undefined;
  resource: string | undefined;
  /** The raw parameters, for the form's hidden fields. */
  params: AuthorizationParams;
}

/** Why the request cannot go on: shown on the page (bad client or redirect) or sent back. */
export type AuthorizationProblem =
  | { kind: "page"; message: string }
  | {
      kind: "redirect";
      client: OAuthClient;
      redirectUri: string;
      state: string;
      error: OAuthError;
    };

/** RFC 6749 Appendix A: `state` and the scope tokens are visible ASCII. */
const VSCHAR = /^[\x20-\x7e]+$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
/** RFC 7636 §4.2: 43-128 unreserved characters (a base64url SHA-256 is 43). */
const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;
const MAX_STATE = 1000;

/** The text of each parameter, "" when absent; a repeated parameter is a problem. */
export function readAuthorizationParams(
  source: Record<string, unknown>,
): AuthorizationParams | { repeated: string } {
  const params = {} as AuthorizationParams;
  for (const name of AUTHORIZATION_PARAMS) {
    const value = source[name];
    if (Array.isArray(value)) return { repeated: name };
    params[name] = typeof value === "string" ? value : "";
  }
  return params;
}

/** What the authorization request needs to know about this server. */
export interface AuthorizationContext {
  findClient: (clientId: string) => Promise<OAuthClient | undefined>;
  scopes: ReadonlySet<string>;
  /** Whether a `resource` (RFC 8707) is one this server issues tokens for. */
  isOwnResource: (resource: string) => boolean;
}

/**
 * Checks an authorization request in RFC 6749 §4.1.2.1's order: an unknown client or a redirect
 * URI that is not the client's is shown on the page and never redirected to; every later problem
 * goes back to the client's redirect URI with `state`. The page runs the same checks as the
 * form's POST, so a request that would fail does so before the user types a password.
 */
export async function checkAuthorizationRequest(
  source: Record<string, unknown>,
  context: AuthorizationContext,
): Promise<AuthorizationRequest | AuthorizationProblem> {
  const params = readAuthorizationParams(source);
  if ("repeated" in params) {
    return { kind: "page", message: `The sign-in link repeats the ${params.repeated} parameter.` };
  }
  const client = params.client_id === "" ? undefined : await context.findClient(params.client_id);
  if (client === undefined) {
    return { kind: "page", message: "This sign-in link names an unknown application." };
  }
  if (params.redirect_uri === "" || !client.redirectAllowed(params.redirect_uri)) {
    return {
      kind: "page",
      message: "This sign-in link has a redirect address that is not allowed for this application.",
    };
  }
  const back = (error: OAuthError): AuthorizationProblem => ({
    kind: "redirect",
    client,
    redirectUri: params.redirect_uri,
    state: params.state,
    error,
  });

  if (params.response_type !== "code") {
    return back(new UnsupportedResponseTypeError("response_type must be code"));
  }
  if (params.state !== "" && (params.state.length > MAX_STATE || !VSCHAR.test(params.state))) {
    return back(
      new InvalidRequestError(`state must be 1-${MAX_STATE} visible ASCII characters (RFC 6749)`),
    );
  }
  // RFC 7636 §4.3: a missing method means plain, which this server does not accept.
  if (params.code_challenge !== "" && params.code_challenge_method !== "S256") {
    return back(new InvalidRequestError("code_challenge_method must be S256"));
  }
  if (params.code_challenge !== "" && !CODE_CHALLENGE.test(params.code_challenge)) {
    return back(
      new InvalidRequestError("code_challenge must be 43-128 characters of [A-Za-z0-9._~-]"),
    );
  }
  if (params.code_challenge === "" && params.code_challenge_method !== "") {
    return back(new InvalidRequestError("code_challenge_method was sent without code_challenge"));
  }
  if (params.code_challenge === "" && client.public) {
    return back(
      new InvalidRequestError("code_challenge is required: this client must use PKCE (S256)"),
    );
  }
  // Without PKCE, state is what protects the client from a forged redirect (RFC 9700 §4.7.1).
  if (params.code_challenge === "" && params.state === "") {
    return back(new InvalidRequestError("state is required when PKCE is not used"));
  }
  const scopes = params.scope.split(" ").filter((s) => s !== "");
  const unknown = scopes.filter((s) => !SCOPE_TOKEN.test(s) || !context.scopes.has(s));
  if (unknown.length > 0) {
    const supported = [...context.scopes];
    return back(
      new InvalidScopeError(
        `unknown scope ${unknown.map((s) => JSON.stringify(s)).join(", ")}; ${supported.length === 0 ? "this server defines no scopes: send none" : `supported: ${supported.join(" ")}`}`,
      ),
    );
  }
  if (params.resource !== "" && !context.isOwnResource(params.resource)) {
    return back(new InvalidTargetError("resource is not a resource this server issues tokens for"));
  }
  return {
    client,
    redirectUri: params.redirect_uri,
    state: params.state,
    scope: scopes.length === 0 ? undefined : [...new Set(scopes)].join(" "),
    codeChallenge: params.code_challenge === "" ? undefined : params.code_challenge,
    resource: params.resource === "" ? undefined : params.resource,
    params,
  };
}

/** True when the check produced a request (not a problem). */
export function isAuthorizationRequest(
  value: AuthorizationRequest | AuthorizationProblem,
): value is AuthorizationRequest {
  return !("kind" in value);
}
