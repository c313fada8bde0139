import { createHash } from "node:crypto";
import type { Request, Response } from "express";
import type { NewOAuthToken, RedeemedCode } from "../auth-store";
import { constantTimeEqual, generateToken, hashToken } from "../secrets";
import { canonicalResource, ownResources, type OAuthContext } from "./oauth-context";
import type { OAuthClient } from "./oauth-clients";
import {
  OAuthError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  UnsupportedGrantTypeError,
} from "./oauth-errors";

/** Parameters of the token, revocation and registration endpoints: strings only (RFC 6749 App. A). */
export function readStringParams(req: Request, names: readonly string[]): Record<string, string> {
  const body: unknown = req.body;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new InvalidRequestError(
      "send the request as application/x-www-form-urlencoded (or application/json)",
    );
  }
  const params: Record<string, string> = {};
  for (const name of names) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) throw new InvalidRequestError(`${name} is repeated`);
    if (typeof value !== "string") throw new InvalidRequestError(`${name} must be a string`);
    params[name] = value;
  }
  return params;
}

const TOKEN_PARAMS = [
  "grant_type",
  "code",
  "redirect_uri",
  "code_verifier",
  "refresh_token",
  "scope",
  "resource",
  "client_id",
  "client_secret",
];
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) equals the code's challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  return constantTimeEqual(
    createHash("sha256").update(verifier, "ascii").digest("base64url"),
    challenge,
  );
}

/**
 * The token endpoint (RFC 6749 §3.2): the `authorization_code` grant (with PKCE, RFC 7636) and
 * the `refresh_token` grant (rotating: each refresh token works once, and using one twice
 * revokes the whole grant, RFC 9700 §4.14.2). JSON or form bodies; errors are RFC 6749 §5.2's.
 */
export function createTokenEndpoint(context: OAuthContext) {
  /** A new token pair for a grant, and the response that hands it out. */
  const newTokens = (grant: { id: number; scope: string | undefined }, now: number) => {
    // grant.scope is the scope of this token: the grant's, or a narrower one a refresh asked for.
    const accessToken = generateToken("pk_at_");
    const refreshToken = generateToken("pk_rt_");
    const record: NewOAuthToken = {
      grantId: grant.id,
      scope: grant.scope,
      accessTokenHash: hashToken(accessToken),
      accessTokenExpiresAt: now + context.lifetimes.accessTokenSeconds * 1000,
      refreshTokenHash: hashToken(refreshToken),
      refreshTokenExpiresAt: now + context.lifetimes.refreshTokenSeconds * 1000,
      createdAt: now,
    };
    const send = (res: Response): void => {
      res
        .status(200)
        .set({ "Cache-Control": "no-store", Pragma: "no-cache" })
        .json({
          access_token: accessToken,
          token_type: "Bearer",
          expires_in: context.lifetimes.accessTokenSeconds,
          refresh_token: refreshToken,
          ...(grant.scope === undefined ? {} : { scope: grant.scope }),
        });
      context.cleanUp(now);
    };
    return { record, send };
  };

  /** A `resource` in a token request may only repeat the grant's (RFC 8707 §2.2). */
  const checkResource = (
    req: Request,
    requested: string | undefined,
    granted: string | undefined,
  ): void => {
    if (requested === undefined) return;
    const canonical = canonicalResource(requested);
    const bound = granted ?? context.issuer(req);
    if (
      canonical === undefined ||
      canonical !== bound ||
      !ownResources(context, context.issuer(req)).includes(canonical)
    ) {
      throw new InvalidTargetError("resource is not the resource this grant is for");
    }
  };

  const authorizationCode = async (
    req: Request,
    res: Response,
    client: OAuthClient,
    params: Record<string, string>,
  ): Promise<void> => {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = params;
    if (code === undefined || code === "") throw new InvalidRequestError("code is required");
    if (redirectUri === undefined || redirectUri === "") {
      throw new InvalidRequestError("redirect_uri is required: the one the code was issued for");
    }
    const now = context.clock.now();
    const codeHash = hashToken(code);
    const stored = await context.store.findAuthorizationCode(codeHash);
    if (stored === undefined) throw new InvalidGrantError("the code is not valid");
    // Checked before the code is used up, so that of several valid redemptions racing, on any
    // instance, exactly one gets tokens; a redemption that fails a check still uses it up.
    const problem = checkCode(req, stored, client, redirectUri, verifier, params["resource"], now);
    const tokens = newTokens({ id: stored.grantId, scope: stored.scope }, now);
    const outcome = await context.store.redeemAuthorizationCode(
      codeHash,
      now,
      problem === undefined ? tokens.record : undefined,
    );
    if (outcome === "replayed") {
      throw new InvalidGrantError(
        "the code was already used; every token issued with it has been revoked",
      );
    }
    if (problem !== undefined) throw problem;
    if (outcome === "unknown") {
      throw new InvalidGrantError(
        "the grant was revoked (its code or a refresh token was used twice)",
      );
    }
    tokens.send(res);
  };

  /** What is wrong with a token request for a code, if anything. */
  const checkCode = (
    req: Request,
    stored: RedeemedCode,
    client: OAuthClient,
    redirectUri: string,
    verifier: string | undefined,
    resource: string | undefined,
    now: number,
  ): OAuthError | undefined => {
    if (stored.expiresAt <= now) return new InvalidGrantError("the code has expired");
    if (stored.clientId !== client.id)
      return new InvalidGrantError("the code was issued to another client");
    if (stored.redirectUri !== redirectUri) {
      return new InvalidGrantError("redirect_uri differs from the one the code was issued for");
    }
    if (stored.codeChallenge !== undefined) {
      if (verifier === undefined || verifier === "") {
        return new InvalidGrantError("code_verifier is required: the code was issued with PKCE");
      }
      if (!CODE_VERIFIER.test(verifier) || !pkceMatches(verifier, stored.codeChallenge)) {
        return new InvalidGrantError("code_verifier does not match the code_challenge");
      }
    } else if (verifier !== undefined) {
      return new InvalidGrantError("code_verifier was sent, but the code was issued without PKCE");
    }
    try {
      checkResource(req, resource, stored.resource);
    } catch (error) {
      if (error instanceof OAuthError) return error;
      throw error;
    }
    return undefined;
  };

  const refresh = async (
    req: Request,
    res: Response,
    client: OAuthClient,
    params: Record<string, string>,
  ): Promise<void> => {
    const refreshToken = params["refresh_token"];
    if (refreshToken === undefined || refreshToken === "") {
      throw new InvalidRequestError("refresh_token is required");
    }
    const now = context.clock.now();
    const refreshHash = hashToken(refreshToken);
    const token = await context.store.findOAuthTokenByRefreshHash(refreshHash);
    if (token === undefined) throw new InvalidGrantError("the refresh token is not valid");
    const reused = (): InvalidGrantError =>
      new InvalidGrantError(
        "the refresh token was already used; every token of its grant has been revoked",
      );
    if (token.rotated) {
      await context.store.rotateRefreshToken(refreshHash, now);
      throw reused();
    }
    if (token.clientId !== client.id) {
      // Someone else's refresh token: it has leaked, so its grant ends here.
      await context.store.revokeGrant(token.account.id, token.grantId, now);
      throw new InvalidGrantError("the refresh token was issued to another client");
    }
    if (token.refreshTokenExpiresAt === undefined || token.refreshTokenExpiresAt <= now) {
      throw new InvalidGrantError("the refresh token has expired");
    }
    // RFC 6749 §6: a refresh may ask for less than the grant, never more; by default it gets
    // the grant's whole scope.
    const requested = params["scope"]?.split(" ").filter((s) => s !== "");
    const granted = new Set(token.grantScope?.split(" ") ?? []);
    const wider = (requested ?? []).filter((s) => !granted.has(s));
    if (wider.length > 0) {
      throw new InvalidScopeError(`scope ${wider.join(" ")} was not granted`);
    }
    checkResource(req, params["resource"], token.resource);
    const scope =
      requested === undefined || requested.length === 0
        ? token.grantScope
        : [...new Set(requested)].join(" ");
    // Retired and replaced in one transaction: of simultaneous refreshes exactly one gets tokens.
    const tokens = newTokens({ id: token.grantId, scope }, now);
    const outcome = await context.store.rotateRefreshToken(refreshHash, now, tokens.record);
    if (outcome === "reused") throw reused();
    if (outcome === "unknown") throw new InvalidGrantError("the refresh token is not valid");
    tokens.send(res);
  };

  return async (req: Request, res: Response): Promise<void> => {
    const params = readStringParams(req, TOKEN_PARAMS);
    const grantType = params["grant_type"];
    if (grantType === undefined || grantType === "")
      throw new InvalidRequestError("grant_type is required");
    if (grantType !== "authorization_code" && grantType !== "refresh_token") {
      throw new UnsupportedGrantTypeError(
        `grant_type ${JSON.stringify(grantType.slice(0, 50))} is not supported: use authorization_code or refresh_token`,
      );
    }
    const client = await context.clients.authenticate(req, params);
    if (grantType === "authorization_code") await authorizationCode(req, res, client, params);
    else await refresh(req, res, client, params);
  };
}
