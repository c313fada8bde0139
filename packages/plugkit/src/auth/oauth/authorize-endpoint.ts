import { randomBytes } from "node:crypto";
import type { Request, Response } from "express";
import {
  generateToken,
  hashToken,
  verifyDummyPassword,
  verifyPassword,
  constantTimeEqual,
} from "../secrets";
import {
  checkAuthorizationRequest,
  isAuthorizationRequest,
  type AuthorizationContext,
  type AuthorizationRequest,
} from "./authorization-request";
import { AccessDeniedError, type OAuthError } from "./oauth-errors";
import { OAUTH_PATHS, canonicalResource, ownResources, type OAuthContext } from "./oauth-context";
import { renderProblemPage, renderSignInPage } from "./sign-in-page";
import type { SignInAttempt } from "./sign-in-throttle";

const CSRF_COOKIE = "plugkit_oauth_csrf";
const DEVICE_COOKIE = "plugkit_device";
const DEVICE_COOKIE_DAYS = 400;

/** The authorization endpoint: the sign-in and consent page, and its form. */
export interface AuthorizeEndpoint {
  /** GET: checks the request, then shows the page (or sends the problem back to the client). */
  show(req: Request, res: Response): Promise<void>;
  /** POST: checks the CSRF token, the request again, the throttle and the password, then redirects with a code. */
  submit(req: Request, res: Response): Promise<void>;
}

export function createAuthorizeEndpoint(context: OAuthContext): AuthorizeEndpoint {
  const requestContext = (req: Request): AuthorizationContext => {
    const resources = ownResources(context, context.issuer(req));
    return {
      findClient: (id) => context.clients.find(id),
      scopes: new Set(context.scopes.keys()),
      isOwnResource: (resource) => {
        const canonical = canonicalResource(resource);
        return canonical !== undefined && resources.includes(canonical);
      },
    };
  };

  /** Sends the user back to the client with an error (RFC 6749 §4.1.2.1), `state` and `iss`. */
  const redirectError = (
    req: Request,
    res: Response,
    redirectUri: string,
    state: string,
    error: OAuthError,
  ): void => {
    redirect(req, res, redirectUri, {
      error: error.code,
      error_description: error.message,
      ...(state === "" ? {} : { state }),
    });
  };

  const redirect = (
    req: Request,
    res: Response,
    redirectUri: string,
    params: Record<string, string>,
  ): void => {
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
    // RFC 9207: the client checks which authorization server answered.
    target.searchParams.set("iss", context.issuer(req));
    // 303 after the form's POST, so the browser follows with a GET (RFC 9700 §4.12).
    res
      .set("Cache-Control", "no-store")
      .redirect(req.method === "POST" ? 303 : 302, target.toString());
  };

  const sendPage = (res: Response, status: number, html: string, formTarget?: string): void => {
    const formAction = ["'self'", ...(formTarget === undefined ? [] : [formTarget])].join(" ");
    res
      .status(status)
      .set({
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        // The form posts here, and the server redirects to the client: CSP's form-action must
        // allow the redirect's origin too.
        "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      })
      .send(html);
  };

  const problem = (res: Response, status: number, title: string, message: string): void => {
    sendPage(res, status, renderProblemPage(title, message));
  };

  const secure = (req: Request): boolean => context.issuer(req).startsWith("https:");
  /** Over https the CSRF cookie is a `__Host-` cookie: Secure, host-only, path /. */
  const csrfCookieName = (req: Request): string =>
    secure(req) ? `__Host-${CSRF_COOKIE}` : CSRF_COOKIE;
  const deviceCookieName = (req: Request): string =>
    secure(req) ? `__Host-${DEVICE_COOKIE}` : DEVICE_COOKIE;

  const showForm = (
    req: Request,
    res: Response,
    status: number,
    request: AuthorizationRequest,
    extra: { username?: string; error?: string } = {},
  ): void => {
    const csrfToken = randomBytes(24).toString("base64url");
    res.cookie(csrfCookieName(req), csrfToken, {
      httpOnly: true,
      sameSite: "strict",
      secure: secure(req),
      path: secure(req) ? "/" : "/oauth",
      maxAge: 3600 * 1000,
    });
    const returnTo = new URL(request.redirectUri);
    const consentText =
      request.client.name === undefined && !request.client.public
        ? context.consentText
        : `${request.client.name ?? "An application"} (unverified: it registered itself) is asking to use ${context.pluginName} on your behalf.`;
    sendPage(
      res,
      status,
      renderSignInPage({
        pluginName: context.pluginName,
        consentText,
        returnTo:
          returnTo.protocol === "http:" || returnTo.protocol === "https:"
            ? returnTo.host
            : returnTo.protocol,
        scopes: (request.scope?.split(" ") ?? []).map((name) => ({
          name,
          description: context.scopes.get(name) ?? "",
        })),
        action: OAUTH_PATHS.authorize,
        params: request.params,
        csrfToken,
        ...extra,
      }),
      returnTo.protocol === "http:" || returnTo.protocol === "https:"
        ? returnTo.origin
        : returnTo.protocol,
    );
  };

  const check = async (req: Request, res: Response, source: Record<string, unknown>) => {
    const checked = await checkAuthorizationRequest(source, requestContext(req));
    if (isAuthorizationRequest(checked)) return checked;
    // Before the user has acted, a self-registered client's request that fails is shown, not
    // redirected: anyone can register a redirect URI, and an automatic redirect to it would be
    // an open redirector (RFC 9700 §4.11.2).
    if (checked.kind === "redirect" && checked.client.public && req.method === "GET") {
      problem(
        res,
        400,
        "Invalid sign-in link",
        `The application's request cannot be completed (${checked.error.code}: ${checked.error.message}). Start again from the application.`,
      );
      return undefined;
    }
    if (checked.kind === "page") {
      problem(
        res,
        400,
        "Invalid sign-in link",
        `${checked.message} Start again from the application.`,
      );
    } else {
      redirectError(req, res, checked.redirectUri, checked.state, checked.error);
    }
    return undefined;
  };

  return {
    show: async (req, res) => {
      const request = await check(req, res, req.query);
      if (request !== undefined) showForm(req, res, 200, request);
    },

    submit: async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const sentToken = typeof body["csrf_token"] === "string" ? body["csrf_token"] : "";
      const expectedToken = cookie(req, csrfCookieName(req));
      if (
        expectedToken === undefined ||
        sentToken === "" ||
        !constantTimeEqual(sentToken, expectedToken)
      ) {
        problem(
          res,
          403,
          "Sign-in expired",
          "This sign-in form has expired or was not sent from this site. Start again from the application.",
        );
        return;
      }
      const request = await check(req, res, body);
      if (request === undefined) return;
      if (body["decision"] !== "allow") {
        redirectError(
          req,
          res,
          request.redirectUri,
          request.state,
          new AccessDeniedError("the user denied the request"),
        );
        return;
      }

      const username = (typeof body["username"] === "string" ? body["username"] : "")
        .trim()
        .slice(0, 64);
      const password = (typeof body["password"] === "string" ? body["password"] : "").slice(
        0,
        1024,
      );
      const now = context.clock.now();
      const account =
        username === "" ? undefined : await context.store.findAccountByUsername(username);
      const device = cookie(req, deviceCookieName(req));
      const deviceHash = device === undefined ? undefined : hashToken(device);
      const attempt: SignInAttempt = {
        username,
        address: context.clientAddress(req),
        knownDevice:
          account !== undefined &&
          deviceHash !== undefined &&
          (await context.store.isSignInDevice(account.id, deviceHash))
            ? deviceHash
            : undefined,
      };
      // Counted before the password is checked, so guesses sent in parallel are counted too.
      const ticket = await context.throttle.take(attempt, now);
      context.cleanUp(now);
      if ("retryAfter" in ticket) {
        res.set("Retry-After", String(ticket.retryAfter));
        problem(
          res,
          429,
          "Too many attempts",
          `Too many failed sign-ins. Try again in ${Math.ceil(ticket.retryAfter / 60)} minute(s).`,
        );
        return;
      }
      const valid =
        account === undefined
          ? await verifyDummyPassword(password)
          : await verifyPassword(password, account.passwordHash);
      if (account === undefined || !valid) {
        showForm(req, res, 401, request, { username, error: "Wrong username or password." });
        return;
      }
      await context.throttle.succeeded(attempt, ticket);
      if (attempt.knownDevice === undefined) {
        const token = randomBytes(32).toString("base64url");
        await context.store.saveSignInDevice(account.id, hashToken(token), now);
        res.cookie(deviceCookieName(req), token, {
          httpOnly: true,
          sameSite: "lax",
          secure: secure(req),
          path: secure(req) ? "/" : "/oauth",
          maxAge: DEVICE_COOKIE_DAYS * 86400 * 1000,
        });
      }
      res.clearCookie(csrfCookieName(req), {
        path: secure(req) ? "/" : "/oauth",
        secure: secure(req),
      });

      const grantId = await context.store.createGrant({
        accountId: account.id,
        clientId: request.client.id,
        scope: request.scope,
        resource: request.resource === undefined ? undefined : canonicalResource(request.resource),
        createdAt: now,
      });
      const code = generateToken("pk_code_");
      await context.store.saveAuthorizationCode({
        codeHash: hashToken(code),
        grantId,
        redirectUri: request.redirectUri,
        codeChallenge: request.codeChallenge,
        expiresAt: now + context.lifetimes.codeSeconds * 1000,
      });
      redirect(req, res, request.redirectUri, {
        code,
        ...(request.state === "" ? {} : { state: request.state }),
      });
    },
  };
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
