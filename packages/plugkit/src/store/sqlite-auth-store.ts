import type Database from "better-sqlite3";
import type {
  Account,
  ApiTokenInfo,
  AuthStore,
  StoredAuthorizationCode,
  StoredOAuthToken,
} from "../auth/auth-store";

interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
}

interface TokenRow {
  access_token_hash: string;
  access_expires_at: number;
  refresh_token_hash: string | null;
  refresh_expires_at: number | null;
  client_id: string;
  account_id: number;
  username: string;
  scope: string | null;
}

const TOKEN_COLUMNS = `t.access_token_hash, t.access_expires_at, t.refresh_token_hash, t.refresh_expires_at,
  t.client_id, t.account_id, a.username, t.scope`;

function toToken(row: TokenRow | undefined): StoredOAuthToken | undefined {
  if (row === undefined) return undefined;
  return {
    accessTokenHash: row.access_token_hash,
    accessTokenExpiresAt: row.access_expires_at,
    refreshTokenHash: row.refresh_token_hash ?? undefined,
    refreshTokenExpiresAt: row.refresh_expires_at ?? undefined,
    clientId: row.client_id,
    account: { id: row.account_id, username: row.username },
    scope: row.scope ?? undefined,
  };
}

/**
 * The {@link AuthStore} in the same SQLite database as the todos (see `openDatabase`), so
 * accounts, tokens and codes survive restarts and are shared by processes on one file.
 */
export function createSqliteAuthStore(db: Database.Database): AuthStore {
  const q = {
    insertAccount: db.prepare<[string, string, number]>(
      "INSERT INTO accounts (username, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (username) DO NOTHING",
    ),
    accountByName: db.prepare<[string], AccountRow>(
      "SELECT id, username, password_hash FROM accounts WHERE username = ?",
    ),
    accounts: db.prepare<[], Account>("SELECT id, username FROM accounts ORDER BY username"),
    setPassword: db.prepare<[string, number]>("UPDATE accounts SET password_hash = ? WHERE id = ?"),
    deleteAccount: db.prepare<[number]>("DELETE FROM accounts WHERE id = ?"),

    insertApiToken: db.prepare<[number, string, string, number]>(
      "INSERT INTO api_tokens (account_id, token_hash, label, created_at) VALUES (?, ?, ?, ?)",
    ),
    apiTokenAccount: db.prepare<[string], Account & { token_id: number }>(
      `SELECT a.id, a.username, t.id AS token_id FROM api_tokens t JOIN accounts a ON a.id = t.account_id
       WHERE t.token_hash = ?`,
    ),
    // At most one write a minute per token: recording every use would put a durable write on
    // every API call.
    touchApiToken: db.prepare<[number, number, number]>(
      "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    ),
    apiTokens: db.prepare<
      [number],
      { id: number; label: string; created_at: number; last_used_at: number | null }
    >(
      "SELECT id, label, created_at, last_used_at FROM api_tokens WHERE account_id = ? ORDER BY id",
    ),
    deleteApiToken: db.prepare<[number, number]>(
      "DELETE FROM api_tokens WHERE account_id = ? AND id = ?",
    ),

    insertCode: db.prepare<[string, string, number, string, string | null, number]>(
      `INSERT INTO oauth_codes (code_hash, client_id, account_id, redirect_uri, scope, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    code: db.prepare<
      [string],
      {
        client_id: string;
        account_id: number;
        redirect_uri: string;
        scope: string | null;
        expires_at: number;
      }
    >(
      "SELECT client_id, account_id, redirect_uri, scope, expires_at FROM oauth_codes WHERE code_hash = ?",
    ),
    deleteCode: db.prepare<[string]>("DELETE FROM oauth_codes WHERE code_hash = ?"),

    insertToken: db.prepare<
      [string, number, string | null, number | null, string, number, string | null]
    >(
      `INSERT INTO oauth_tokens (access_token_hash, access_expires_at, refresh_token_hash, refresh_expires_at,
         client_id, account_id, scope) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    tokenByAccess: db.prepare<[string], TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM oauth_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.access_token_hash = ?`,
    ),
    tokenByRefresh: db.prepare<[string], TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM oauth_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.refresh_token_hash = ?`,
    ),
    deleteTokenByRefresh: db.prepare<[string]>(
      "DELETE FROM oauth_tokens WHERE refresh_token_hash = ?",
    ),

    insertFailure: db.prepare<[string, number]>(
      "INSERT INTO sign_in_failures (key, at) VALUES (?, ?)",
    ),
    failures: db.prepare<[string, number], { count: number; oldest: number | null }>(
      "SELECT count(*) AS count, min(at) AS oldest FROM sign_in_failures WHERE key = ? AND at > ?",
    ),
    clearFailures: db.prepare<[string]>("DELETE FROM sign_in_failures WHERE key = ?"),

    deleteExpiredCodes: db.prepare<[number]>("DELETE FROM oauth_codes WHERE expires_at <= ?"),
    deleteExpiredTokens: db.prepare<[number, number]>(
      `DELETE FROM oauth_tokens WHERE access_expires_at <= ?
       AND (refresh_expires_at IS NULL OR refresh_expires_at <= ?)`,
    ),
    deleteOldFailures: db.prepare<[number]>("DELETE FROM sign_in_failures WHERE at <= ?"),
  };

  const recordFailure = db.transaction((key: string, at: number, since: number): number => {
    q.insertFailure.run(key, at);
    return q.failures.get(key, since)?.count ?? 0;
  });
  const deleteExpired = db.transaction((now: number, failuresBefore: number) => {
    q.deleteExpiredCodes.run(now);
    q.deleteExpiredTokens.run(now, now);
    q.deleteOldFailures.run(failuresBefore);
  });

  return {
    createAccount: async (username, passwordHash) => {
      const result = q.insertAccount.run(username, passwordHash, Date.now());
      return result.changes === 0 ? undefined : { id: Number(result.lastInsertRowid), username };
    },
    findAccountByUsername: async (username) => {
      const row = q.accountByName.get(username);
      return row === undefined
        ? undefined
        : { id: row.id, username: row.username, passwordHash: row.password_hash };
    },
    listAccounts: async () => q.accounts.all(),
    setPasswordHash: async (accountId, passwordHash) =>
      q.setPassword.run(passwordHash, accountId).changes > 0,
    deleteAccount: async (accountId) => q.deleteAccount.run(accountId).changes > 0,

    createApiToken: async (accountId, tokenHash, label, createdAt) => {
      const result = q.insertApiToken.run(accountId, tokenHash, label, createdAt);
      return { id: Number(result.lastInsertRowid), label, createdAt, lastUsedAt: undefined };
    },
    useApiToken: async (tokenHash, usedAt) => {
      const row = q.apiTokenAccount.get(tokenHash);
      if (row === undefined) return undefined;
      q.touchApiToken.run(usedAt, row.token_id, usedAt - 60_000);
      return { id: row.id, username: row.username };
    },
    listApiTokens: async (accountId) =>
      q.apiTokens.all(accountId).map((row): ApiTokenInfo => ({
        id: row.id,
        label: row.label,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at ?? undefined,
      })),
    revokeApiToken: async (accountId, tokenId) =>
      q.deleteApiToken.run(accountId, tokenId).changes > 0,

    saveAuthorizationCode: async (code) => {
      q.insertCode.run(
        code.codeHash,
        code.clientId,
        code.accountId,
        code.redirectUri,
        code.scope ?? null,
        code.expiresAt,
      );
    },
    findAuthorizationCode: async (codeHash) => {
      const row = q.code.get(codeHash);
      if (row === undefined) return undefined;
      return {
        codeHash,
        clientId: row.client_id,
        accountId: row.account_id,
        redirectUri: row.redirect_uri,
        scope: row.scope ?? undefined,
        expiresAt: row.expires_at,
      } satisfies StoredAuthorizationCode;
    },
    consumeAuthorizationCode: async (codeHash) => q.deleteCode.run(codeHash).changes > 0,

    saveOAuthToken: async (token) => {
      q.insertToken.run(
        token.accessTokenHash,
        token.accessTokenExpiresAt,
        token.refreshTokenHash ?? null,
        token.refreshTokenExpiresAt ?? null,
        token.clientId,
        token.accountId,
        token.scope ?? null,
      );
    },
    findOAuthTokenByAccessHash: async (hash) => toToken(q.tokenByAccess.get(hash)),
    findOAuthTokenByRefreshHash: async (hash) => toToken(q.tokenByRefresh.get(hash)),
    revokeOAuthTokenByRefreshHash: async (hash) => q.deleteTokenByRefresh.run(hash).changes > 0,

    recordSignInFailure: async (key, at, since) => recordFailure.immediate(key, at, since),
    countSignInFailures: async (key, since) => {
      const row = q.failures.get(key, since);
      return { count: row?.count ?? 0, oldest: row?.oldest ?? undefined };
    },
    clearSignInFailures: async (key) => {
      q.clearFailures.run(key);
    },
    deleteExpired: async (now, failuresBefore) => {
      deleteExpired.immediate(now, failuresBefore);
    },
  };
}
