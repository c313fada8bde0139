import { randomBytes } from "node:crypto";
import type OAuth2Server from "@node-oauth/oauth2-server";
import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import { ConfigError, UnauthorizedError } from "../../errors";
import { PLUGIN_HOSTNAME } from "../../manifest/public-origin-placeholder";
import { resolvePublicOrigin } from "../../server/public-origin";
import type { AuthStore } from "../auth-store";
import { systemClock, type Clock } from "../clock";
import {
  MISSING_VERIFICATION_TOKEN,
  challenge,
  readCredential,
  type PluginAuth,
} from "../plugin-auth";
import {
  MIN_SECRET_LENGTH,
  constantTimeEqual,
  hashToken,
  verifyDummyPassword,
  verifyPassword,
} from "../secrets";
import { createOAuthModel, type OAuthModel } from "./oauth-model";
import { CHATGPT_REDIRECT_URIS, redirectUriMatcher } from "./redirect-uris";
import {
  AUTHORIZATION_PARAMS,
  renderProblemPage,
  renderSignInPage,
  type AuthorizationParams,
} from "./sign-in-page";

/** Where the sign-in page is served (the manifest's `client_url`). */
export const OAUTH_AUTHORIZE_PATH = "/oauth/authorize";
/** Where ChatGPT exchanges codes and refresh tokens (the manifest's `authorization_url`). */
export const OAUTH_TOKEN_PATH = "/oauth/token";

/** Failed sign-ins allowed per window before the page answers 429. */
export interface SignInLimits {
  /** Per username. @default 10 */
  perAccount: number;
  /** Per client address. @default 20 */
  perAddress: number;
  /** @default 900 (15 minutes) */
  windowSeconds: number;
}

/** Options for {@link oauthAuth}. */
export interface OAuthAuthOptions {
  store: AuthStore;
  /** `OAUTH_CLIENT_ID`: the client id you register in ChatGPT. */
  clientId: string;
  /** `OAUTH_CLIENT_SECRET`: the client secret you register in ChatGPT; at least 32 characters. */
  clientSecret: string;
  /** Allowed redirect URIs, `*` matching one path segment. @default ChatGPT's callbacks */
  redirectUris?: readonly string[];
  /** `OPENAI_VERIFICATION_TOKEN`, shown in the manifest. */
  verificationToken?: string | undefined;
  /** Shown on the sign-in page. @default "this plugin" */
  pluginName?: string;
  /** What the user grants, shown on the sign-in page. @default "ChatGPT is asking to use <pluginName> on your behalf." */
  consentText?: string;
  /** @default 300 (5 minutes) */
  codeLifetimeSeconds?: number;
  /** @default 3600 (an hour) */
  accessTokenLifetimeSeconds?: number;
  /** @default 2592000 (30 days) */
  refreshTokenLifetimeSeconds?: number;
  signInLimits?: Partial<SignInLimits>;
  /** Read the client address from `X-Forwarded-For` (its last hop), for rate limiting. @default true */
  trustForwardedHeaders?: boolean;
  /** The fixed public origin (`PUBLIC_URL`), if any: an https one makes the CSRF cookie Secure. */
  publicUrl?: string | undefined;
  clock?: Clock;
}

const CSRF_COOKIE = "plugkit_oauth_csrf";
const TOKEN_PARAMS = [
  "grant_type",
  "code",
  "redirect_uri",
  "client_id",
  "client_secret",
  "refresh_token",
  "scope",
  "code_verifier",
];
const FORM_LIMIT = "16kb";

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function clientAddress(req: Request, trustForwarded: boolean): string {
  if (trustForwarded) {
    // The last hop is the one the platform's router appended; earlier ones are client-supplied.
    const hops = (req.get("x-forwarded-for") ?? "")
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    const last = hops.at(-1);
    if (last !== undefined) return last;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** Everything the library needs to see, from an Express request, with the two ChatGPT fixes. */
type Library = typeof OAuth2Server;
let library: Library | undefined;
/** The library is loaded on the first OAuth request, so other auth types never pay for it. */
async function loadLibrary(): Promise<Library> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  library ??= require("@node-oauth/oauth2-server") as Library;
  return library;
}

function libraryRequest(
  lib: Library,
  req: Request,
  body: Record<string, unknown>,
): OAuth2Server.Request {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers[name] = value;
  }
  // The library accepts only form-encoded token requests; ChatGPT may send JSON. The body is
  // already parsed either way, so tell the library it is a form.
  headers["content-type"] = "application/x-www-form-urlencoded";
  const clean = { ...body };
  // ChatGPT sends `scope=` when the manifest's scope is empty; the library rejects an empty scope.
  if (clean["scope"] === "") delete clean["scope"];
  const query = Object.fromEntries(
    Object.entries(req.query).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
  if (query["scope"] === "") delete query["scope"];
  return new lib.Request({ headers, method: req.method, query, body: clean });
}

/**
 * `oauth`: an OAuth 2.0 authorization server for ChatGPT, built on @node-oauth/oauth2-server.
 * It serves a sign-in and consent page at `client_url` and the token endpoint at
 * `authorization_url` (JSON or form bodies; `authorization_code` and `refresh_token` grants),
 * with single-use codes bound to client and redirect URI, required `state`, expiring access
 * tokens, rotating refresh tokens, hashed secrets, CSRF protection and throttled sign-ins.
 *
 * @example
 * oauthAuth({ store, clientId: env.OAUTH_CLIENT_ID, clientSecret: env.OAUTH_CLIENT_SECRET })
 */
export function oauthAuth(options: OAuthAuthOptions): PluginAuth {
  const {
    store,
    clientId,
    clientSecret,
    redirectUris = CHATGPT_REDIRECT_URIS,
    verificationToken,
    pluginName = "this plugin",
    consentText = `ChatGPT is asking to use ${pluginName} on your behalf.`,
    codeLifetimeSeconds = 300,
    accessTokenLifetimeSeconds = 3600,
    refreshTokenLifetimeSeconds = 30 * 24 * 3600,
    trustForwardedHeaders = true,
    publicUrl,
    clock = systemClock,
  } = options;
  const limits: SignInLimits = {
    perAccount: 10,
    perAddress: 20,
    windowSeconds: 900,
    ...options.signInLimits,
  };
  if (clientId.trim() === "")
    throw new ConfigError("OAUTH_CLIENT_ID: required when PLUGIN_AUTH=oauth");
  if (clientSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `OAUTH_CLIENT_SECRET: must be at least ${MIN_SECRET_LENGTH} characters (got ${clientSecret.length}); generate one with \`openssl rand -hex 32\``,
    );
  }
  if (redirectUris.length === 0)
    throw new ConfigError("OAUTH_REDIRECT_URIS: list at least one redirect URI");

  const model: OAuthModel = createOAuthModel(
    store,
    { clientId, clientSecret, redirectUris },
    {
      codeSeconds: codeLifetimeSeconds,
      accessTokenSeconds: accessTokenLifetimeSeconds,
      refreshTokenSeconds: refreshTokenLifetimeSeconds,
    },
    clock,
  );
  let server: OAuth2Server | undefined;
  const getServer = async (): Promise<{ lib: Library; server: OAuth2Server }> => {
    const lib = await loadLibrary();
    server ??= new lib({
      model,
      authorizationCodeLifetime: codeLifetimeSeconds,
      accessTokenLifetime: accessTokenLifetimeSeconds,
      refreshTokenLifetime: refreshTokenLifetimeSeconds,
      allowEmptyState: false,
      alwaysIssueNewRefreshToken: true,
      requireClientAuthentication: { authorization_code: true, refresh_token: true },
    });
    return { lib, server };
  };
  const redirectAllowed = redirectUriMatcher(redirectUris);
  // The consent form's POST redirects to ChatGPT; CSP's form-action must allow that origin.
  const redirectOrigins = [
    ...new Set(redirectUris.map((uri) => new URL(uri.replaceAll("*", "x")).origin)),
  ];

  const sendPage = (res: Response, status: number, html: string): void => {
    res
      .status(status)
      .set({
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${redirectOrigins.join(" ")}; frame-ancestors 'none'; base-uri 'none'`,
      })
      .send(html);
  };

  const paramsOf = (source: Record<string, unknown>): AuthorizationParams =>
    Object.fromEntries(
      AUTHORIZATION_PARAMS.map((name) => [name, text(source[name])]),
    ) as unknown as AuthorizationParams;

  /** Redirects back to the client with an RFC 6749 error (only for a verified redirect URI). */
  const redirectError = (
    res: Response,
    params: AuthorizationParams,
    error: string,
    description: string,
  ): void => {
    const target = new URL(params.redirect_uri);
    target.searchParams.set("error", error);
    target.searchParams.set("error_description", description);
    if (params.state !== "") target.searchParams.set("state", params.state);
    res.set("Cache-Control", "no-store").redirect(302, target.toString());
  };

  /** Checks client and redirect URI; a bad one is shown on the page, never redirected to. */
  const checkClient = (res: Response, params: AuthorizationParams): boolean => {
    if (params.client_id === "" || !constantTimeEqual(params.client_id, clientId)) {
      sendPage(
        res,
        400,
        renderProblemPage(
          "Invalid sign-in link",
          "This sign-in link names an unknown client. Start again from ChatGPT.",
        ),
      );
      return false;
    }
    if (!redirectAllowed(params.redirect_uri)) {
      sendPage(
        res,
        400,
        renderProblemPage(
          "Invalid sign-in link",
          "This sign-in link has a redirect address that is not allowed. Start again from ChatGPT.",
        ),
      );
      return false;
    }
    return true;
  };

  /** RFC 6749 4.1.2.1: with a good redirect URI, other request errors go back to the client. */
  const checkRequest = (res: Response, params: AuthorizationParams): boolean => {
    if (params.response_type !== "code") {
      redirectError(res, params, "unsupported_response_type", "response_type must be code");
      return false;
    }
    if (params.state === "") {
      redirectError(res, params, "invalid_request", "state is required");
      return false;
    }
    return true;
  };

  const showForm = (
    req: Request,
    res: Response,
    status: number,
    params: AuthorizationParams,
    extra: { username?: string; error?: string } = {},
  ): void => {
    const csrfToken = randomBytes(24).toString("base64url");
    const secure = resolvePublicOrigin(req, { publicUrl, trustForwardedHeaders }).startsWith(
      "https:",
    );
    res.cookie(CSRF_COOKIE, csrfToken, {
      httpOnly: true,
      sameSite: "strict",
      secure,
      path: "/oauth",
      maxAge: 3600 * 1000,
    });
    sendPage(
      res,
      status,
      renderSignInPage({
        pluginName,
        consentText,
        action: OAUTH_AUTHORIZE_PATH,
        params,
        csrfToken,
        ...extra,
      }),
    );
  };

  /** Lets the library issue the code (or the access_denied error) and follows its redirect. */
  const authorize = async (
    req: Request,
    res: Response,
    body: Record<string, unknown>,
    user: { id: number },
  ): Promise<void> => {
    const { lib, server } = await getServer();
    const response = new lib.Response();
    try {
      await server.authorize(libraryRequest(lib, req, body), response, {
        authenticateHandler: { handle: () => user },
      });
    } catch (error) {
      const location = response.get("location") as string | undefined;
      if (location === undefined) throw error;
    }
    res.set("Cache-Control", "no-store").redirect(302, response.get("location") as string);
  };

  const router = Router();
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT });

  router.get(OAUTH_AUTHORIZE_PATH, (req, res) => {
    const params = paramsOf(req.query);
    if (!checkClient(res, params) || !checkRequest(res, params)) return;
    showForm(req, res, 200, params);
  });

  router.post(OAUTH_AUTHORIZE_PATH, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params = paramsOf(body);
    const sentToken = text(body["csrf_token"]);
    const expectedToken = cookie(req, CSRF_COOKIE);
    if (
      expectedToken === undefined ||
      sentToken === "" ||
      !constantTimeEqual(sentToken, expectedToken)
    ) {
      sendPage(
        res,
        403,
        renderProblemPage(
          "Sign-in expired",
          "This sign-in form has expired or was not sent from this site. Start again from ChatGPT.",
        ),
      );
      return;
    }
    if (!checkClient(res, params) || !checkRequest(res, params)) return;
    if (text(body["decision"]) !== "allow") {
      await authorize(req, res, { ...body, allowed: "false" }, { id: 0 });
      return;
    }

    const username = text(body["username"]).trim().slice(0, 64);
    const now = clock.now();
    const since = now - limits.windowSeconds * 1000;
    const keys = [
      { key: `account:${username.toLowerCase()}`, limit: limits.perAccount },
      { key: `address:${clientAddress(req, trustForwardedHeaders)}`, limit: limits.perAddress },
    ];
    for (const { key, limit } of keys) {
      const { count, oldest } = await store.countSignInFailures(key, since);
      if (count >= limit) {
        const retryAfter = Math.max(
          1,
          Math.ceil(((oldest ?? now) + limits.windowSeconds * 1000 - now) / 1000),
        );
        res.set("Retry-After", String(retryAfter));
        sendPage(
          res,
          429,
          renderProblemPage(
            "Too many attempts",
            `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
          ),
        );
        return;
      }
    }

    const password = text(body["password"]).slice(0, 1024);
    const account = username === "" ? undefined : await store.findAccountByUsername(username);
    const valid =
      account === undefined
        ? await verifyDummyPassword(password)
        : await verifyPassword(password, account.passwordHash);
    if (account === undefined || !valid) {
      for (const { key } of keys) await store.recordSignInFailure(key, now, since);
      showForm(req, res, 401, params, { username, error: "Wrong username or password." });
      return;
    }
    await store.clearSignInFailures(keys[0]?.key ?? "");
    res.clearCookie(CSRF_COOKIE, { path: "/oauth" });
    await authorize(req, res, body, { id: account.id });
  });

  router.post(
    OAUTH_TOKEN_PATH,
    express.json({ limit: FORM_LIMIT }),
    express.urlencoded({ extended: false, limit: FORM_LIMIT }),
    async (req, res) => {
      res.set({ "Cache-Control": "no-store", Pragma: "no-cache" });
      const body: unknown = req.body;
      if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
        res.status(400).json({
          error: "invalid_request",
          error_description:
            "Send the token request as application/json or application/x-www-form-urlencoded.",
        });
        return;
      }
      // Every OAuth parameter is a string (RFC 6749 appendix A); anything else is the client's mistake.
      const notText = TOKEN_PARAMS.find((name) => {
        const value = (body as Record<string, unknown>)[name];
        return value !== undefined && typeof value !== "string";
      });
      if (notText !== undefined) {
        res.status(400).json({
          error: "invalid_request",
          error_description: `Invalid parameter: \`${notText}\` must be a string`,
        });
        return;
      }
      const { lib, server } = await getServer();
      const response = new lib.Response();
      try {
        await server.token(libraryRequest(lib, req, body as Record<string, unknown>), response);
      } catch {
        // The library has written the RFC 6749 error into `response`.
      }
      res
        .status(response.status ?? 500)
        .set(response.headers ?? {})
        .json(response.body);
    },
  );

  // Errors on these routes (malformed JSON, oversized bodies) answer in RFC 6749's shape.
  const oauthErrors: ErrorRequestHandler = (err: unknown, req, res, next) => {
    const status = (err as { status?: unknown }).status;
    if (res.headersSent || typeof status !== "number" || status >= 500) {
      next(err);
      return;
    }
    if (req.path === OAUTH_TOKEN_PATH) {
      res
        .status(400)
        .set("Cache-Control", "no-store")
        .json({ error: "invalid_request", error_description: (err as Error).message });
    } else {
      sendPage(
        res,
        400,
        renderProblemPage(
          "Invalid request",
          "The sign-in form could not be read. Start again from ChatGPT.",
        ),
      );
    }
  };
  router.use(oauthErrors);

  return {
    type: "oauth",
    manifestAuth: {
      type: "oauth",
      client_url: `${PLUGIN_HOSTNAME}${OAUTH_AUTHORIZE_PATH}`,
      scope: "",
      authorization_url: `${PLUGIN_HOSTNAME}${OAUTH_TOKEN_PATH}`,
      authorization_content_type: "application/json",
      verification_tokens: { openai: verificationToken ?? MISSING_VERIFICATION_TOKEN },
    },
    isUserAuthenticated: true,
    securityScheme: {
      type: "oauth2",
      flows: {
        authorizationCode: {
          authorizationUrl: `${PLUGIN_HOSTNAME}${OAUTH_AUTHORIZE_PATH}`,
          tokenUrl: `${PLUGIN_HOSTNAME}${OAUTH_TOKEN_PATH}`,
          scopes: {},
        },
      },
    },
    router,
    authenticate: async (req) => {
      const token = readCredential(req, "bearer");
      const stored = await store.findOAuthTokenByAccessHash(hashToken(token));
      if (stored === undefined || stored.accessTokenExpiresAt <= clock.now()) {
        throw new UnauthorizedError(
          stored === undefined
            ? "The access token is not valid."
            : "The access token has expired; refresh it.",
          `${challenge("bearer", "invalid_token")}, error_description="${stored === undefined ? "invalid token" : "token expired"}"`,
          { code: "invalid_token" },
        );
      }
      return { kind: "account", account: stored.account, via: "oauth" };
    },
  };
}
