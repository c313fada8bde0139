import type { Request, Response } from "express";
import { viaResourceOf } from "../../server/dispatch";
import { ConfigError, HttpError, NotFoundError, UnauthorizedError } from "../../errors";
import { databaseThrottleStore, type ThrottleStore } from "../../limits/throttle-store";
import { PLUGIN_HOSTNAME } from "../../manifest/public-origin-placeholder";
import { clientAddress, resolvePublicOrigin } from "../../server/public-origin";
import type { AuthStore } from "../auth-store";
import { systemClock, type Clock } from "../clock";
import {
  MISSING_VERIFICATION_TOKEN,
  challenge,
  readCredential,
  type PluginAuth,
} from "../plugin-auth";
import { MIN_SECRET_LENGTH, hashToken } from "../secrets";
import { createAuthorizeEndpoint } from "./authorize-endpoint";
import {
  authorizationServerMetadata,
  createRegistrationEndpoint,
  createRevocationEndpoint,
  protectedResourceMetadata,
} from "./client-endpoints";
import { createClientRegistry } from "./oauth-clients";
import { OAUTH_PATHS, periodicCleanUp, type OAuthContext } from "./oauth-context";
import {
  DEFAULT_SIGN_IN_LIMITS,
  createSignInThrottle,
  type SignInLimits,
} from "./sign-in-throttle";
import { createTokenEndpoint } from "./token-endpoint";

export type { SignInLimits } from "./sign-in-throttle";

/** Options for {@link oauthAuth}. */
export interface OAuthAuthOptions {
  store: AuthStore;
  /** `OAUTH_CLIENT_ID`: the confidential client you register in ChatGPT (plugin or GPT Action). */
  clientId?: string | undefined;
  /** `OAUTH_CLIENT_SECRET`: its secret; at least 32 characters. */
  clientSecret?: string | undefined;
  /** `OAUTH_REDIRECT_URIS`: that client's redirect URIs, matched exactly. @default [] */
  redirectUris?: readonly string[];
  /**
   * `OAUTH_REDIRECT_URI_WILDCARDS`: let `*` in `redirectUris` stand for one path segment, e.g.
   * any ChatGPT plugin id. Any plugin or GPT could then receive your users' codes: prefer the
   * exact callback. @default false
   */
  allowRedirectWildcards?: boolean;
  /** `OPENAI_VERIFICATION_TOKEN`, shown in the manifest. */
  verificationToken?: string | undefined;
  /** Shown on the sign-in page. @default "this plugin" */
  pluginName?: string;
  /** What the user grants the configured client, shown on the sign-in page. */
  consentText?: string;
  /** Scopes a client may ask for, with what each allows (shown on the consent page). @default {} */
  scopes?: Readonly<Record<string, string>>;
  /** `OAUTH_DYNAMIC_REGISTRATION`: RFC 7591 registration of public clients (MCP clients). @default true */
  dynamicRegistration?: boolean;
  /**
   * Registrations allowed per client address (an IPv6 /64) and overall, per window.
   * @default { perAddress: 10, overall: 1000, windowSeconds: 3600 }
   */
  registrationLimit?: { perAddress: number; overall: number; windowSeconds: number };
  /** @default 300 (5 minutes) */
  codeLifetimeSeconds?: number;
  /** @default 3600 (an hour) */
  accessTokenLifetimeSeconds?: number;
  /** @default 2592000 (30 days) */
  refreshTokenLifetimeSeconds?: number;
  signInLimits?: Partial<SignInLimits>;
  /** `TRUSTED_PROXY_HOPS`: proxies in front whose forwarded headers are believed. @default 0 */
  trustedProxyHops?: number;
  /** `PUBLIC_URL`: the fixed public origin, which is the issuer. */
  publicUrl?: string | undefined;
  /** Paths that are protected resources of their own besides the origin (`/mcp`). @default [] */
  resourcePaths?: readonly string[];
  clock?: Clock;
  /** Where sign-in and registration attempts are counted. @default the store's own tables */
  throttles?: ThrottleStore;
}

/** The authorization server's endpoints, for the OAuth controller to delegate to. */
export interface OAuthServer {
  /** GET /oauth/authorize: the sign-in and consent page. */
  authorizePage(req: Request, res: Response): Promise<void>;
  /** POST /oauth/authorize: the page's form. */
  authorize(req: Request, res: Response): Promise<void>;
  /** POST /oauth/token */
  token(req: Request, res: Response): Promise<void>;
  /** POST /oauth/revoke (RFC 7009) */
  revoke(req: Request, res: Response): Promise<void>;
  /** POST /oauth/register (RFC 7591) */
  register(req: Request, res: Response): Promise<void>;
  /** GET /.well-known/oauth-authorization-server (RFC 8414) */
  authorizationServerMetadata(req: Request, res: Response): Promise<void>;
  /** GET /.well-known/oauth-protected-resource[/path] (RFC 9728) */
  protectedResourceMetadata(req: Request, res: Response, resourcePath?: string): Promise<void>;
}

/**
 * `oauth`: an OAuth 2.1 authorization server for ChatGPT plugins and GPT Actions (a confidential
 * client with a secret) and for MCP clients (public clients that register themselves and use
 * PKCE), with the protected resource's side: bearer tokens checked on `@Security("plugin")`
 * operations, bound to their resource (RFC 8707), and 401s that point to the resource metadata
 * (RFC 9728). Its endpoints are served by the plugin's OAuth controller through
 * `getOAuthServer(req)`.
 *
 * @example
 * oauthAuth({ store: database.auth, clientId: env.OAUTH_CLIENT_ID, clientSecret: env.OAUTH_CLIENT_SECRET,
 *   redirectUris: ["https://chatgpt.com/aip/g-123/oauth/callback"] })
 */
export function oauthAuth(options: OAuthAuthOptions): PluginAuth & { oauth: OAuthServer } {
  const {
    store,
    clientId,
    clientSecret,
    redirectUris = [],
    allowRedirectWildcards = false,
    verificationToken,
    pluginName = "this plugin",
    consentText = `ChatGPT is asking to use ${pluginName} on your behalf.`,
    scopes = {},
    dynamicRegistration = true,
    registrationLimit = { perAddress: 10, overall: 1000, windowSeconds: 3600 },
    codeLifetimeSeconds = 300,
    accessTokenLifetimeSeconds = 3600,
    refreshTokenLifetimeSeconds = 30 * 24 * 3600,
    trustedProxyHops = 0,
    publicUrl,
    resourcePaths = [],
    clock = systemClock,
    throttles = databaseThrottleStore(store),
  } = options;
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    throw new ConfigError("OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET: set both or neither");
  }
  if (clientId?.trim() === "") throw new ConfigError("OAUTH_CLIENT_ID: must not be empty");
  if (clientSecret !== undefined && clientSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `OAUTH_CLIENT_SECRET: must be at least ${MIN_SECRET_LENGTH} characters (got ${clientSecret.length}); generate one with \`openssl rand -hex 32\``,
    );
  }
  for (const uri of redirectUris) {
    if (uri.includes("*") && !allowRedirectWildcards) {
      throw new ConfigError(
        `OAUTH_REDIRECT_URIS: ${JSON.stringify(uri)} has a wildcard; write the exact callback ChatGPT shows, or set OAUTH_REDIRECT_URI_WILDCARDS=true knowing that any ChatGPT plugin or GPT could then receive your users' codes`,
      );
    }
  }
  for (const path of resourcePaths) {
    if (!/^\/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]$/.test(path)) {
      throw new ConfigError(`resourcePaths: ${JSON.stringify(path)} must be a path like /mcp`);
    }
  }

  const origin = (req: Request): string =>
    resolvePublicOrigin(req, { publicUrl, trustedProxyHops });
  const context: OAuthContext = {
    store,
    clients: createClientRegistry(
      store,
      clientId === undefined || clientSecret === undefined
        ? undefined
        : { id: clientId, secret: clientSecret, redirectUris, allowRedirectWildcards },
    ),
    clock,
    lifetimes: {
      codeSeconds: codeLifetimeSeconds,
      accessTokenSeconds: accessTokenLifetimeSeconds,
      refreshTokenSeconds: refreshTokenLifetimeSeconds,
    },
    scopes: new Map(Object.entries(scopes)),
    pluginName,
    consentText,
    throttle: createSignInThrottle(throttles, {
      ...DEFAULT_SIGN_IN_LIMITS,
      ...options.signInLimits,
    }),
    throttles,
    issuer: origin,
    clientAddress: (req) => clientAddress(req, trustedProxyHops),
    resourcePaths,
    registrationEnabled: dynamicRegistration,
    registrationLimit,
    cleanUp: periodicCleanUp(store),
  };
  const authorizeEndpoint = createAuthorizeEndpoint(context);
  const token = createTokenEndpoint(context);
  const revoke = createRevocationEndpoint(context);
  const register = createRegistrationEndpoint(context);
  const json = (res: Response, body: unknown): void => {
    // The documents name this server's origin, which follows the request's host.
    res
      .set({
        "Cache-Control": "public, max-age=300",
        Vary: "Host, X-Forwarded-Host, X-Forwarded-Proto",
      })
      .json(body);
  };
  const server: OAuthServer = {
    authorizePage: (req, res) => authorizeEndpoint.show(req, res),
    authorize: (req, res) => authorizeEndpoint.submit(req, res),
    token,
    revoke,
    register,
    authorizationServerMetadata: async (req, res) => {
      json(res, authorizationServerMetadata(context, req));
    },
    protectedResourceMetadata: async (req, res, resourcePath = "") => {
      const metadata = protectedResourceMetadata(context, req, resourcePath);
      if (metadata === undefined) {
        throw new NotFoundError(`${resourcePath} is not a protected resource of this server`);
      }
      json(res, metadata);
    },
  };

  const scopeText = Object.keys(scopes).join(" ");
  const resourceMetadataUrl = (req: Request): string =>
    `${origin(req)}${OAUTH_PATHS.protectedResourceMetadata}${resourcePathOf(req, resourcePaths)}`;
  const refuse = (req: Request, message: string, error?: "invalid_token"): UnauthorizedError =>
    new UnauthorizedError(
      message,
      `${challenge("bearer", error)}${error === undefined ? "" : `, error_description="${message.replace(/"/g, "'")}"`}, resource_metadata="${resourceMetadataUrl(req)}"`,
      { code: error ?? "missing_credentials" },
    );

  return {
    type: "oauth",
    manifestAuth: {
      type: "oauth",
      client_url: `${PLUGIN_HOSTNAME}${OAUTH_PATHS.authorize}`,
      scope: scopeText,
      authorization_url: `${PLUGIN_HOSTNAME}${OAUTH_PATHS.token}`,
      authorization_content_type: "application/json",
      verification_tokens: { openai: verificationToken ?? MISSING_VERIFICATION_TOKEN },
    },
    isUserAuthenticated: true,
    securityScheme: {
      type: "oauth2",
      flows: {
        authorizationCode: {
          authorizationUrl: `${PLUGIN_HOSTNAME}${OAUTH_PATHS.authorize}`,
          tokenUrl: `${PLUGIN_HOSTNAME}${OAUTH_PATHS.token}`,
          refreshUrl: `${PLUGIN_HOSTNAME}${OAUTH_PATHS.token}`,
          scopes: { ...scopes },
        },
      },
    },
    oauth: server,
    authenticate: async (req, required = []) => {
      if ((req.get("authorization") ?? "").trim() === "") {
        throw refuse(
          req,
          'This operation needs credentials: send "Authorization: Bearer <token>".',
        );
      }
      let credential: string;
      try {
        credential = readCredential(req, "bearer");
      } catch (error) {
        // RFC 6750 §3.1: a malformed request is invalid_request, a 400.
        if (!(error instanceof UnauthorizedError)) throw error;
        throw new HttpError(400, error.message, {
          code: "invalid_request",
          headers: {
            "WWW-Authenticate": `${challenge("bearer", "invalid_request")}, resource_metadata="${resourceMetadataUrl(req)}"`,
          },
        });
      }
      const stored = await store.findOAuthTokenByAccessHash(hashToken(credential));
      if (stored === undefined)
        throw refuse(req, "The access token is not valid.", "invalid_token");
      if (stored.accessTokenExpiresAt <= clock.now()) {
        throw refuse(req, "The access token has expired; refresh it.", "invalid_token");
      }
      // A tool call dispatched from /mcp is checked as a request to /mcp, where it arrived.
      const path = viaResourceOf(req) ?? req.originalUrl.split("?")[0] ?? "/";
      if (
        stored.resource !== undefined &&
        !withinResource(`${origin(req)}${path}`, stored.resource)
      ) {
        throw refuse(req, "The access token was issued for another resource.", "invalid_token");
      }
      const granted = new Set(stored.scope?.split(" ") ?? []);
      const missing = required.filter((scope) => !granted.has(scope));
      if (missing.length > 0) {
        // RFC 6750 §3.1: the token is good, but not enough for this operation.
        throw new HttpError(403, `This operation needs the scope ${missing.join(" ")}.`, {
          code: "insufficient_scope",
          headers: {
            "WWW-Authenticate": `${challenge("bearer")}, error="insufficient_scope", scope="${required.join(" ")}", resource_metadata="${resourceMetadataUrl(req)}"`,
          },
        });
      }
      return { kind: "account", account: stored.account, via: "oauth" };
    },
  };
}

/** RFC 8707: a token for `https://host/mcp` is good for `https://host/mcp` and below, no more. */
function withinResource(url: string, resource: string): boolean {
  return url === resource || url.startsWith(`${resource}/`);
}

/** The protected resource path a request falls under (`/mcp`), or "" for the origin. */
function resourcePathOf(req: Request, resourcePaths: readonly string[]): string {
  const path = viaResourceOf(req) ?? req.originalUrl.split("?")[0] ?? "/";
  return resourcePaths.find((p) => path === p || path.startsWith(`${p}/`)) ?? "";
}
