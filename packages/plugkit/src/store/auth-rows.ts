// The rows of plugkit's auth tables, as both the SQLite and the PostgreSQL store read them.
import type { NewOAuthToken, RedeemedCode, StoredOAuthToken } from "../auth/auth-store";

/** A new token's values, in the order of `oauth_tokens (grant_id, scope, access_token_hash,
 * access_expires_at, refresh_token_hash, refresh_expires_at, created_at)`. */
export function tokenValues(
  token: NewOAuthToken,
): [number, string | null, string, number, string | null, number | null, number] {
  return [
    token.grantId,
    token.scope ?? null,
    token.accessTokenHash,
    token.accessTokenExpiresAt,
    token.refreshTokenHash ?? null,
    token.refreshTokenExpiresAt ?? null,
    token.createdAt,
  ];
}

/** How old a grant with no code and no token must be before clean-up deletes it. */
export const EMPTY_GRANT_GRACE_MS = 15 * 60_000;

/** How long a remembered sign-in device is remembered (its cookie's lifetime). */
export const DEVICE_LIFETIME_MS = 400 * 86400_000;

export interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
}

export interface TokenRow {
  grant_id: number;
  token_scope: string | null;
  access_token_hash: string;
  access_expires_at: number;
  refresh_token_hash: string | null;
  refresh_expires_at: number | null;
  created_at: number;
  client_id: string;
  account_id: number;
  username: string;
  scope: string | null;
  resource: string | null;
}

export interface CodeRow {
  code_hash: string;
  grant_id: number;
  redirect_uri: string;
  code_challenge: string | null;
  expires_at: number;
  used_at: number | null;
  account_id: number;
  client_id: string;
  scope: string | null;
  resource: string | null;
}

export const TOKEN_COLUMNS = `t.grant_id, t.scope AS token_scope, t.access_token_hash, t.access_expires_at,
  t.refresh_token_hash, t.refresh_expires_at, t.created_at, g.client_id, g.account_id, a.username,
  g.scope, g.resource`;
export const TOKEN_JOIN = `oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id JOIN accounts a ON a.id = g.account_id`;

export function toToken(row: TokenRow): StoredOAuthToken {
  return {
    grantId: row.grant_id,
    scope: row.token_scope ?? undefined,
    accessTokenHash: row.access_token_hash,
    accessTokenExpiresAt: row.access_expires_at,
    refreshTokenHash: row.refresh_token_hash ?? undefined,
    refreshTokenExpiresAt: row.refresh_expires_at ?? undefined,
    createdAt: row.created_at,
    clientId: row.client_id,
    account: { id: row.account_id, username: row.username },
    grantScope: row.scope ?? undefined,
    resource: row.resource ?? undefined,
  };
}

export function toCode(row: CodeRow): RedeemedCode {
  return {
    codeHash: row.code_hash,
    grantId: row.grant_id,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge ?? undefined,
    expiresAt: row.expires_at,
    accountId: row.account_id,
    clientId: row.client_id,
    scope: row.scope ?? undefined,
    resource: row.resource ?? undefined,
  };
}
