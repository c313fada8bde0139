/**
 * The storage plugkit's auth needs: accounts, per-account API tokens (user_http), OAuth clients,
 * grants, codes and tokens, sign-in devices, and throttle counters. Secrets arrive already
 * hashed; implementations store and compare hashes only. Times are milliseconds since the
 * epoch. Every method must be safe under concurrent calls from several server processes sharing
 * the store: the ones that decide a race (redeeming a code, rotating a refresh token, saving a
 * token into a grant) are atomic.
 */
export interface AuthStore {
  /** Creates an account; returns undefined when the username is taken. */
  createAccount(username: string, passwordHash: string): Promise<Account | undefined>;
  /** The account with this username (case-insensitive), with its password hash. */
  findAccountByUsername(
    username: string,
  ): Promise<(Account & { passwordHash: string }) | undefined>;
  listAccounts(): Promise<Account[]>;
  /** Replaces an account's password hash; false when there is no such account. */
  setPasswordHash(accountId: number, passwordHash: string): Promise<boolean>;
  /** Deletes an account with its tokens, grants and data; false when there is no such account. */
  deleteAccount(accountId: number): Promise<boolean>;

  /** Stores a new API token (its hash) for an account. */
  createApiToken(
    accountId: number,
    tokenHash: string,
    label: string,
    createdAt: number,
  ): Promise<ApiTokenInfo>;
  /** The account an API token belongs to; records when it was last used (to the minute). */
  useApiToken(tokenHash: string, usedAt: number): Promise<Account | undefined>;
  listApiTokens(accountId: number): Promise<ApiTokenInfo[]>;
  /** Revokes one of an account's API tokens; false when it has no such token. */
  revokeApiToken(accountId: number, tokenId: number): Promise<boolean>;

  /** Stores a client registered through dynamic client registration (RFC 7591). */
  saveOAuthClient(client: StoredOAuthClient): Promise<void>;
  findOAuthClient(clientId: string): Promise<StoredOAuthClient | undefined>;

  /** Starts a grant: one account's authorization of one client. Returns its id. */
  createGrant(grant: NewOAuthGrant): Promise<number>;
  /** The account's grants that are not revoked, newest first. */
  listGrants(accountId: number): Promise<OAuthGrantInfo[]>;
  /** Revokes a grant with its codes and tokens; false when the account has no such live grant. */
  revokeGrant(accountId: number, grantId: number, at: number): Promise<boolean>;
  /**
   * Revokes every grant of an account and forgets its remembered sign-in devices (after a
   * password change); returns how many grants.
   */
  revokeAllGrants(accountId: number, at: number): Promise<number>;

  saveAuthorizationCode(code: StoredAuthorizationCode): Promise<void>;
  /** A code with its grant, used or not; undefined when there is no such code. */
  findAuthorizationCode(codeHash: string): Promise<(RedeemedCode & { used: boolean }) | undefined>;
  /**
   * Uses a code up and, in the same transaction, saves `token` into its grant: of several
   * simultaneous redemptions, on any instance, exactly one is `redeemed`. A code already used
   * is a replay: its grant is revoked with every token issued in it (RFC 6749 §4.1.2) and
   * `replayed` returned. Without `token` the code is only used up (a redemption that failed
   * its checks). `unknown`: no such code, or its grant is revoked (nothing saved).
   */
  redeemAuthorizationCode(
    codeHash: string,
    at: number,
    token?: NewOAuthToken,
  ): Promise<"redeemed" | "replayed" | "unknown">;

  /** Saves a token pair into its grant; false (nothing saved) when the grant is revoked. */
  saveOAuthToken(token: NewOAuthToken): Promise<boolean>;
  /** The live token pair (grant not revoked, not rotated) an access token belongs to. */
  findOAuthTokenByAccessHash(accessTokenHash: string): Promise<StoredOAuthToken | undefined>;
  /** The token pair of a refresh token, rotated or not, while its grant is not revoked. */
  findOAuthTokenByRefreshHash(
    refreshTokenHash: string,
  ): Promise<(StoredOAuthToken & { rotated: boolean }) | undefined>;
  /**
   * Retires the pair of a refresh token and, in the same transaction, saves `next` into its
   * grant: of several simultaneous refreshes exactly one is `rotated`. A refresh token already
   * retired is reuse: its grant is revoked and `reused` returned. Without `next` the pair is
   * only retired. `unknown`: no such token, or its grant is revoked.
   */
  rotateRefreshToken(
    refreshTokenHash: string,
    at: number,
    next?: NewOAuthToken,
  ): Promise<"rotated" | "reused" | "unknown">;
  /**
   * RFC 7009 revocation of a token issued to `clientId`: a refresh token revokes its grant, an
   * access token only itself. Unknown tokens and other clients' tokens are left alone.
   */
  revokeOAuthToken(tokenHash: string, clientId: string, at: number): Promise<void>;

  /** Remembers a browser that signed in to an account (a device cookie, hashed). */
  saveSignInDevice(accountId: number, deviceHash: string, at: number): Promise<void>;
  /** Whether a device cookie belongs to an account. */
  isSignInDevice(accountId: number, deviceHash: string): Promise<boolean>;

  /**
   * Counts an attempt (a sign-in, a registration) against every key at once, unless one of them
   * already has `limit` events since `since`: then nothing is counted, and the time of that
   * key's oldest event is returned so the caller can say when to retry. Atomic, so attempts made
   * in parallel cannot slip past a limit.
   */
  takeThrottleAttempt(
    keys: readonly ThrottleKey[],
    at: number,
    since: number,
  ): Promise<{ allowed: true; eventIds: number[] } | { allowed: false; oldest: number }>;
  /** Takes back the events of an attempt that turned out fine (a successful sign-in). */
  forgetThrottleEvents(eventIds: readonly number[]): Promise<void>;
  clearThrottleEvents(key: string): Promise<void>;

  /**
   * Deletes expired codes and tokens, grants that ended, clients registered before
   * `unusedClientsBefore` that never completed a flow, and throttle events before
   * `eventsBefore`.
   */
  deleteExpired(now: number, eventsBefore: number, unusedClientsBefore: number): Promise<void>;
}

/** A counter of attempts and its limit per window. */
export interface ThrottleKey {
  key: string;
  limit: number;
}

/** A user account. */
export interface Account {
  id: number;
  username: string;
}

/** An API token as listed: never the token itself. */
export interface ApiTokenInfo {
  id: number;
  label: string;
  createdAt: number;
  lastUsedAt: number | undefined;
}

/** A client that registered itself (a public client: no secret, PKCE required). */
export interface StoredOAuthClient {
  clientId: string;
  clientName: string | undefined;
  redirectUris: string[];
  createdAt: number;
}

export interface NewOAuthGrant {
  accountId: number;
  clientId: string;
  scope: string | undefined;
  /** The resource (RFC 8707) the grant's tokens are for; undefined: this plugin's API. */
  resource: string | undefined;
  createdAt: number;
}

/** A grant as the accounts CLI lists it. */
export interface OAuthGrantInfo {
  id: number;
  clientId: string;
  clientName: string | undefined;
  scope: string | undefined;
  resource: string | undefined;
  createdAt: number;
  /** When a token was last issued in it (by the code or a refresh). */
  lastIssuedAt: number | undefined;
}

export interface StoredAuthorizationCode {
  codeHash: string;
  grantId: number;
  redirectUri: string;
  /** PKCE (RFC 7636), S256 only. */
  codeChallenge: string | undefined;
  expiresAt: number;
}

/** A redeemed code with its grant. */
export interface RedeemedCode extends StoredAuthorizationCode {
  accountId: number;
  clientId: string;
  scope: string | undefined;
  resource: string | undefined;
}

/** An access token and its refresh token, as issued together in a grant. */
export interface NewOAuthToken {
  grantId: number;
  /** The token's scope: the grant's, or less after a refresh that asked for less. */
  scope: string | undefined;
  accessTokenHash: string;
  accessTokenExpiresAt: number;
  refreshTokenHash: string | undefined;
  refreshTokenExpiresAt: number | undefined;
  createdAt: number;
}

/** A live token pair with its grant and account. */
export interface StoredOAuthToken extends NewOAuthToken {
  account: Account;
  clientId: string;
  /** The grant's scope, the most a refresh may ask for. */
  grantScope: string | undefined;
  resource: string | undefined;
}
