import type { Request } from "express";
import { ConfigError, UnauthorizedError } from "../errors";
import type { AuthType, HttpAuthorizationType, ManifestAuth } from "../manifest/manifest-types";
import type { AuthStore } from "./auth-store";
import type { OAuthServer } from "./oauth/oauth-auth";
import type { Caller } from "./caller";
import { systemClock, type Clock } from "./clock";
import { MIN_SECRET_LENGTH, constantTimeEqual, hashToken } from "./secrets";

/**
 * One of the four plugin auth types, ready to serve: what the manifest and the spec say about
 * it, and how a request is checked. `createPluginApp({ auth })` makes all three agree: the
 * served manifest's `auth` and `api.is_user_authenticated`, the served spec's security, and
 * what `@Security("plugin")` operations enforce.
 */
export interface PluginAuth {
  readonly type: AuthType;
  /** The manifest's `auth` block; URLs may start with `PLUGIN_HOSTNAME`. */
  readonly manifestAuth: ManifestAuth;
  /** The manifest's `api.is_user_authenticated`. */
  readonly isUserAuthenticated: boolean;
  /** The OpenAPI security scheme of secured operations; undefined when nothing is checked. */
  readonly securityScheme: Record<string, unknown> | undefined;
  /**
   * Establishes who is calling, or throws an {@link UnauthorizedError}. `scopes` are the ones the
   * operation requires (`@Security("plugin", ["todos:write"])`); OAuth checks them against the
   * token, the other types have no scopes and ignore them.
   */
  authenticate(req: Request, scopes?: readonly string[]): Promise<Caller>;
  /** `oauth`: the authorization server, whose endpoints the OAuth controller serves. */
  readonly oauth?: OAuthServer | undefined;
}

/** The security scheme name controllers use: `@Security("plugin")`. */
export const SECURITY_SCHEME = "plugin";

/** Shown in place of a verification token until ChatGPT has issued one. */
export const MISSING_VERIFICATION_TOKEN =
  "set-OPENAI_VERIFICATION_TOKEN-to-the-token-ChatGPT-gives-you";

const REALM = "plugkit";
const MAX_CREDENTIAL = 4096;

/** The `WWW-Authenticate` challenge for a scheme, with an RFC 6750 error when there is one. */
export function challenge(
  scheme: HttpAuthorizationType,
  error?: "invalid_request" | "invalid_token",
): string {
  if (scheme === "basic") return `Basic realm="${REALM}", charset="UTF-8"`;
  return error === undefined
    ? `Bearer realm="${REALM}"`
    : `Bearer realm="${REALM}", error="${error}"`;
}

/**
 * The credential in a request's `Authorization` header for the expected scheme, or an
 * {@link UnauthorizedError} saying what is wrong with the header.
 */
export function readCredential(req: Request, scheme: HttpAuthorizationType): string {
  const name = scheme === "bearer" ? "Bearer" : "Basic";
  const header = req.get("authorization");
  if (header === undefined || header.trim() === "") {
    throw new UnauthorizedError(
      `This operation needs credentials: send "Authorization: ${name} <token>".`,
      challenge(scheme),
      { code: "missing_credentials" },
    );
  }
  const match = /^([A-Za-z]+) +(\S+)$/.exec(header.trim());
  if (match === null || match[2] === undefined || match[2].length > MAX_CREDENTIAL) {
    throw new UnauthorizedError(
      `The Authorization header is malformed: send "Authorization: ${name} <token>".`,
      challenge(scheme, "invalid_request"),
      { code: "invalid_credentials" },
    );
  }
  if (match[1]?.toLowerCase() !== scheme) {
    throw new UnauthorizedError(
      `The Authorization header uses the ${match[1] ?? ""} scheme; this plugin expects ${name}.`,
      challenge(scheme, "invalid_request"),
      { code: "invalid_credentials" },
    );
  }
  return match[2];
}

function wrongCredentials(scheme: HttpAuthorizationType, what: string): UnauthorizedError {
  return new UnauthorizedError(`The ${what} is not valid.`, challenge(scheme, "invalid_token"), {
    code: "invalid_credentials",
  });
}

/** `none`: every request is allowed and nobody is identified. */
export function noAuth(): PluginAuth {
  return {
    type: "none",
    manifestAuth: { type: "none" },
    isUserAuthenticated: false,
    securityScheme: undefined,
    authenticate: async () => ({ kind: "anonymous" }),
  };
}

/** Options for {@link serviceHttpAuth}. */
export interface ServiceHttpAuthOptions {
  /** The service's key (`SERVICE_AUTH_KEY`); at least 32 characters. */
  key: string;
  /** How ChatGPT sends it. @default "bearer" */
  authorizationType?: HttpAuthorizationType;
  /** The token ChatGPT issues at registration (`OPENAI_VERIFICATION_TOKEN`). */
  verificationToken?: string | undefined;
}

/**
 * `service_http`: one key for the whole service, which the developer pastes into ChatGPT once;
 * compared in constant time.
 *
 * @example
 * serviceHttpAuth({ key: process.env.SERVICE_AUTH_KEY, verificationToken: process.env.OPENAI_VERIFICATION_TOKEN })
 */
export function serviceHttpAuth(options: ServiceHttpAuthOptions): PluginAuth {
  const { key, authorizationType = "bearer", verificationToken } = options;
  if (key.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `SERVICE_AUTH_KEY: must be at least ${MIN_SECRET_LENGTH} characters (got ${key.length}); generate one with \`openssl rand -hex 32\``,
    );
  }
  return {
    type: "service_http",
    manifestAuth: {
      type: "service_http",
      authorization_type: authorizationType,
      verification_tokens: { openai: verificationToken ?? MISSING_VERIFICATION_TOKEN },
    },
    isUserAuthenticated: false,
    securityScheme: { type: "http", scheme: authorizationType },
    authenticate: async (req) => {
      const credential = readCredential(req, authorizationType);
      if (!constantTimeEqual(credential, key))
        throw wrongCredentials(authorizationType, "service key");
      return { kind: "service" };
    },
  };
}

/** Options for {@link userHttpAuth}. */
export interface UserHttpAuthOptions {
  store: AuthStore;
  /** How ChatGPT sends each user's token. @default "bearer" */
  authorizationType?: HttpAuthorizationType;
  clock?: Clock;
}

/** The prefix of user API tokens, so a leaked one is recognisable. */
export const USER_TOKEN_PREFIX = "pk_user_";

/**
 * `user_http`: each user pastes their own API token into ChatGPT. Tokens are issued and
 * revoked with the accounts CLI and stored only as hashes.
 */
export function userHttpAuth(options: UserHttpAuthOptions): PluginAuth {
  const { store, authorizationType = "bearer", clock = systemClock } = options;
  return {
    type: "user_http",
    manifestAuth: { type: "user_http", authorization_type: authorizationType },
    isUserAuthenticated: true,
    securityScheme: { type: "http", scheme: authorizationType },
    authenticate: async (req) => {
      const credential = readCredential(req, authorizationType);
      const account = await store.useApiToken(hashToken(credential), clock.now());
      if (account === undefined) throw wrongCredentials(authorizationType, "API token");
      return { kind: "account", account, via: "user_http" };
    },
  };
}
