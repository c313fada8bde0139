import type OAuth2Server from "@node-oauth/oauth2-server";
import type { AuthStore } from "../auth-store";
import type { Clock } from "../clock";
import { constantTimeEqual, generateToken, hashToken } from "../secrets";
import { redirectUriMatcher } from "./redirect-uris";

/** The one OAuth client plugkit serves: ChatGPT, registered with this id and secret. */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** Allowed redirect URIs; `*` stands for one path segment (ChatGPT's plugin id). */
  redirectUris: readonly string[];
}

export interface OAuthLifetimes {
  codeSeconds: number;
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

export type OAuthModel = OAuth2Server.AuthorizationCodeModel & OAuth2Server.RefreshTokenModel;

interface ModelUser {
  id: number;
}

/**
 * The model @node-oauth/oauth2-server calls, over an {@link AuthStore}. Codes and tokens are
 * generated here and stored only as hashes. Expiry is decided by the injected clock: an expired
 * code or token is reported as missing (RFC 6749 `invalid_grant`), and the dates handed back to
 * the library are "now + what is left", so its own checks against the system clock agree.
 */
export function createOAuthModel(
  store: AuthStore,
  client: OAuthClientConfig,
  lifetimes: OAuthLifetimes,
  clock: Clock,
): OAuthModel {
  const libraryClient: OAuth2Server.Client = {
    id: client.clientId,
    grants: ["authorization_code", "refresh_token"],
    redirectUris: [...client.redirectUris],
    accessTokenLifetime: lifetimes.accessTokenSeconds,
    refreshTokenLifetime: lifetimes.refreshTokenSeconds,
  };
  const allowed = redirectUriMatcher(client.redirectUris);
  const remaining = (expiresAt: number): Date => new Date(Date.now() + (expiresAt - clock.now()));
  const scopeList = (scope: string | undefined): string[] | undefined =>
    scope === undefined || scope === "" ? undefined : scope.split(" ");
  const scopeText = (scope: string[] | undefined): string | undefined =>
    scope === undefined || scope.length === 0 ? undefined : scope.join(" ");

  return {
    generateAuthorizationCode: async () => generateToken("pk_code_"),
    generateAccessToken: async () => generateToken("pk_at_"),
    generateRefreshToken: async () => generateToken("pk_rt_"),

    // The authorization endpoint asks without a secret (null); the token endpoint with one.
    getClient: async (clientId: unknown, clientSecret: unknown) => {
      if (typeof clientId !== "string" || !constantTimeEqual(clientId, client.clientId))
        return false;
      if (clientSecret === null || clientSecret === undefined) return libraryClient;
      if (typeof clientSecret !== "string" || !constantTimeEqual(clientSecret, client.clientSecret))
        return false;
      return libraryClient;
    },

    validateRedirectUri: async (redirectUri) => allowed(redirectUri),

    saveAuthorizationCode: async (code, _client, user) => {
      const expiresAt = clock.now() + lifetimes.codeSeconds * 1000;
      await store.saveAuthorizationCode({
        codeHash: hashToken(code.authorizationCode),
        clientId: client.clientId,
        accountId: (user as ModelUser).id,
        redirectUri: code.redirectUri,
        scope: scopeText(code.scope),
        expiresAt,
      });
      return { ...code, expiresAt: remaining(expiresAt), client: libraryClient, user };
    },

    getAuthorizationCode: async (authorizationCode) => {
      const stored = await store.findAuthorizationCode(hashToken(authorizationCode));
      if (stored === undefined || stored.expiresAt <= clock.now()) return false;
      const scope = scopeList(stored.scope);
      return {
        authorizationCode,
        expiresAt: remaining(stored.expiresAt),
        redirectUri: stored.redirectUri,
        ...(scope === undefined ? {} : { scope }),
        client: libraryClient,
        user: { id: stored.accountId } satisfies ModelUser,
      };
    },

    revokeAuthorizationCode: async (code) =>
      store.consumeAuthorizationCode(hashToken(code.authorizationCode)),

    saveToken: async (token, _client, user) => {
      const now = clock.now();
      const accessTokenExpiresAt = now + lifetimes.accessTokenSeconds * 1000;
      const refreshTokenExpiresAt =
        token.refreshToken === undefined ? undefined : now + lifetimes.refreshTokenSeconds * 1000;
      await store.saveOAuthToken({
        accessTokenHash: hashToken(token.accessToken),
        accessTokenExpiresAt,
        refreshTokenHash:
          token.refreshToken === undefined ? undefined : hashToken(token.refreshToken),
        refreshTokenExpiresAt,
        clientId: client.clientId,
        accountId: (user as ModelUser).id,
        scope: scopeText(token.scope),
      });
      await store.deleteExpired(now, now - 24 * 3600 * 1000);
      // The library reports expires_in as whole seconds left, rounded down, a few ms from now;
      // half a second of slack makes it the configured lifetime (3600, not 3599).
      const reported = new Date(Date.now() + lifetimes.accessTokenSeconds * 1000 + 500);
      return { ...token, accessTokenExpiresAt: reported, client: libraryClient, user };
    },

    getAccessToken: async (accessToken) => {
      const stored = await store.findOAuthTokenByAccessHash(hashToken(accessToken));
      if (stored === undefined || stored.accessTokenExpiresAt <= clock.now()) return false;
      return {
        accessToken,
        accessTokenExpiresAt: remaining(stored.accessTokenExpiresAt),
        client: libraryClient,
        user: { id: stored.account.id },
      };
    },

    getRefreshToken: async (refreshToken) => {
      const stored = await store.findOAuthTokenByRefreshHash(hashToken(refreshToken));
      if (
        stored?.refreshTokenExpiresAt === undefined ||
        stored.refreshTokenExpiresAt <= clock.now()
      )
        return false;
      const scope = scopeList(stored.scope);
      return {
        refreshToken,
        refreshTokenExpiresAt: remaining(stored.refreshTokenExpiresAt),
        ...(scope === undefined ? {} : { scope }),
        client: libraryClient,
        user: { id: stored.account.id } satisfies ModelUser,
      };
    },

    // Rotation: the used refresh token and the access token issued with it die together.
    revokeToken: async (token) =>
      store.revokeOAuthTokenByRefreshHash(hashToken(token.refreshToken)),
  };
}
