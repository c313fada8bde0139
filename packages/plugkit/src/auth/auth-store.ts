/**
 * The storage plugkit's auth needs: accounts, per-account API tokens (user_http), OAuth codes
 * and tokens, and sign-in failure counts. Secrets arrive already hashed; implementations store
 * and compare hashes only. Times are milliseconds since the epoch. Every method must be safe
 * under concurrent calls from several server processes sharing the store.
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
  /** Deletes an account with its tokens, codes and data; false when there is no such account. */
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

  saveAuthorizationCode(code: StoredAuthorizationCode): Promise<void>;
  findAuthorizationCode(codeHash: string): Promise<StoredAuthorizationCode | undefined>;
  /** Deletes a code; true only for the one caller that deleted it, which makes codes single-use. */
  consumeAuthorizationCode(codeHash: string): Promise<boolean>;

  saveOAuthToken(token: NewOAuthToken): Promise<void>;
  findOAuthTokenByAccessHash(accessTokenHash: string): Promise<StoredOAuthToken | undefined>;
  findOAuthTokenByRefreshHash(refreshTokenHash: string): Promise<StoredOAuthToken | undefined>;
  /** Deletes the token pair a refresh token belongs to; true only for the caller that deleted it. */
  revokeOAuthTokenByRefreshHash(refreshTokenHash: string): Promise<boolean>;

  /** Adds a failed sign-in for `key` and returns the failures since `since`. */
  recordSignInFailure(key: string, at: number, since: number): Promise<number>;
  /** The failures for `key` since `since`, and when the oldest of them happened. */
  countSignInFailures(
    key: string,
    since: number,
  ): Promise<{ count: number; oldest: number | undefined }>;
  clearSignInFailures(key: string): Promise<void>;

  /** Deletes expired codes and tokens and old sign-in failures. */
  deleteExpired(now: number, failuresBefore: number): Promise<void>;
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

export interface StoredAuthorizationCode {
  codeHash: string;
  clientId: string;
  accountId: number;
  redirectUri: string;
  scope: string | undefined;
  expiresAt: number;
}

/** An access token and its refresh token, as issued together. */
export interface NewOAuthToken {
  accessTokenHash: string;
  accessTokenExpiresAt: number;
  refreshTokenHash: string | undefined;
  refreshTokenExpiresAt: number | undefined;
  clientId: string;
  accountId: number;
  scope: string | undefined;
}

/** A stored token pair with the account it was issued to. */
export interface StoredOAuthToken extends Omit<NewOAuthToken, "accountId"> {
  account: Account;
}
