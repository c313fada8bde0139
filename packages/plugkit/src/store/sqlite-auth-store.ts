import type Database from "better-sqlite3";
import type {
  Account,
  ApiTokenInfo,
  AuthStore,
  NewOAuthToken,
  OAuthGrantInfo,
  ThrottleKey,
} from "../auth/auth-store";
import {
  DEVICE_LIFETIME_MS,
  EMPTY_GRANT_GRACE_MS,
  TOKEN_COLUMNS,
  TOKEN_JOIN,
  toCode,
  toToken,
  tokenValues,
  type AccountRow,
  type CodeRow,
  type TokenRow,
} from "./auth-rows";

/**
 * The {@link AuthStore} in the plugin's SQLite database (see `openPluginDatabase`), so accounts,
 * grants and tokens survive restarts and are shared by processes on one file. Races are decided
 * by single UPDATE statements inside IMMEDIATE transactions.
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

    insertClient: db.prepare<[string, string | null, string, number]>(
      "INSERT INTO oauth_clients (client_id, client_name, redirect_uris, created_at) VALUES (?, ?, ?, ?)",
    ),
    client: db.prepare<
      [string],
      { client_id: string; client_name: string | null; redirect_uris: string; created_at: number }
    >(
      "SELECT client_id, client_name, redirect_uris, created_at FROM oauth_clients WHERE client_id = ?",
    ),

    insertGrant: db.prepare<[number, string, string | null, string | null, number]>(
      "INSERT INTO oauth_grants (account_id, client_id, scope, resource, created_at) VALUES (?, ?, ?, ?, ?)",
    ),
    grants: db.prepare<
      [number],
      {
        id: number;
        client_id: string;
        client_name: string | null;
        scope: string | null;
        resource: string | null;
        created_at: number;
        last_issued_at: number | null;
      }
    >(
      `SELECT g.id, g.client_id, c.client_name, g.scope, g.resource, g.created_at,
         (SELECT max(t.created_at) FROM oauth_tokens t WHERE t.grant_id = g.id) AS last_issued_at
       FROM oauth_grants g LEFT JOIN oauth_clients c ON c.client_id = g.client_id
       WHERE g.account_id = ? AND g.revoked_at IS NULL
         AND EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = g.id)
       ORDER BY g.id DESC`,
    ),
    revokeGrant: db.prepare<[number, number, number]>(
      "UPDATE oauth_grants SET revoked_at = ? WHERE account_id = ? AND id = ? AND revoked_at IS NULL",
    ),
    revokeGrantById: db.prepare<[number, number]>(
      "UPDATE oauth_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
    ),
    revokeAccountGrants: db.prepare<[number, number]>(
      "UPDATE oauth_grants SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
    ),
    dropGrantTokens: db.prepare<[number]>("DELETE FROM oauth_tokens WHERE grant_id = ?"),
    dropAccountTokens: db.prepare<[number]>(
      "DELETE FROM oauth_tokens WHERE grant_id IN (SELECT id FROM oauth_grants WHERE account_id = ?)",
    ),
    dropAccountDevices: db.prepare<[number]>("DELETE FROM sign_in_devices WHERE account_id = ?"),

    insertCode: db.prepare<[string, number, string, string | null, number]>(
      `INSERT INTO oauth_codes (code_hash, grant_id, redirect_uri, code_challenge, expires_at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    useCode: db.prepare<[number, string]>(
      "UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
    ),
    code: db.prepare<[string], CodeRow>(
      `SELECT c.code_hash, c.grant_id, c.redirect_uri, c.code_challenge, c.expires_at, c.used_at,
         g.account_id, g.client_id, g.scope, g.resource
       FROM oauth_codes c JOIN oauth_grants g ON g.id = c.grant_id WHERE c.code_hash = ?`,
    ),

    // Saved only into a grant that is not revoked: a replay detected while the winning request
    // is between redeeming its code and saving its token still ends the whole grant.
    insertToken: db.prepare<
      [number, string | null, string, number, string | null, number | null, number, number]
    >(
      `INSERT INTO oauth_tokens (grant_id, scope, access_token_hash, access_expires_at,
         refresh_token_hash, refresh_expires_at, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM oauth_grants WHERE id = ? AND revoked_at IS NULL)`,
    ),
    tokenByAccess: db.prepare<[string], TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM ${TOKEN_JOIN}
       WHERE t.access_token_hash = ? AND t.rotated_at IS NULL AND g.revoked_at IS NULL`,
    ),
    tokenByRefresh: db.prepare<
      [string],
      TokenRow & { rotated_at: number | null; revoked_at: number | null }
    >(
      `SELECT ${TOKEN_COLUMNS}, t.rotated_at, g.revoked_at FROM ${TOKEN_JOIN} WHERE t.refresh_token_hash = ?`,
    ),
    rotate: db.prepare<[number, string]>(
      "UPDATE oauth_tokens SET rotated_at = ? WHERE refresh_token_hash = ? AND rotated_at IS NULL",
    ),
    expireAccess: db.prepare<[string]>(
      "UPDATE oauth_tokens SET access_expires_at = 0 WHERE access_token_hash = ?",
    ),

    insertDevice: db.prepare<[string, number, number]>(
      "INSERT INTO sign_in_devices (device_hash, account_id, created_at) VALUES (?, ?, ?) ON CONFLICT (device_hash) DO NOTHING",
    ),
    device: db.prepare<[string, number]>(
      "SELECT 1 FROM sign_in_devices WHERE device_hash = ? AND account_id = ?",
    ),

    insertEvent: db.prepare<[string, number]>(
      "INSERT INTO sign_in_failures (key, at) VALUES (?, ?)",
    ),
    deleteEvent: db.prepare<[number]>("DELETE FROM sign_in_failures WHERE rowid = ?"),
    events: db.prepare<[string, number], { count: number; oldest: number | null }>(
      "SELECT count(*) AS count, min(at) AS oldest FROM sign_in_failures WHERE key = ? AND at > ?",
    ),
    clearEvents: db.prepare<[string]>("DELETE FROM sign_in_failures WHERE key = ?"),

    // A used code is kept while its grant has tokens, so a late replay is still recognised.
    deleteExpiredCodes: db.prepare<[number]>(
      `DELETE FROM oauth_codes WHERE expires_at <= ? AND (used_at IS NULL
         OR NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = oauth_codes.grant_id))`,
    ),
    // A rotated pair is kept until its refresh token would have expired, so that its reuse is
    // recognised as reuse (and revokes the grant) for as long as the token could be used.
    deleteExpiredTokens: db.prepare<[number, number]>(
      `DELETE FROM oauth_tokens WHERE access_expires_at <= ?
       AND (refresh_expires_at IS NULL OR refresh_expires_at <= ?)`,
    ),
    deleteOldDevices: db.prepare<[number]>("DELETE FROM sign_in_devices WHERE created_at <= ?"),
    // A grant ends when it is revoked or has nothing left: no token, no pending code.
    // A grant with nothing in it yet may be about to get its code: kept for a while.
    deleteEndedGrants: db.prepare<[number]>(
      `DELETE FROM oauth_grants WHERE revoked_at IS NOT NULL
         OR (created_at <= ?
             AND NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = oauth_grants.id)
             AND NOT EXISTS (SELECT 1 FROM oauth_codes c WHERE c.grant_id = oauth_grants.id))`,
    ),
    deleteUnusedClients: db.prepare<[number]>(
      `DELETE FROM oauth_clients WHERE created_at <= ?
       AND NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.client_id = oauth_clients.client_id)`,
    ),
    deleteOldEvents: db.prepare<[number]>("DELETE FROM sign_in_failures WHERE at <= ?"),
  };

  const revokeGrant = (grantId: number, at: number): void => {
    q.revokeGrantById.run(at, grantId);
    q.dropGrantTokens.run(grantId);
  };
  const saveToken = (token: NewOAuthToken): boolean =>
    q.insertToken.run(...tokenValues(token), token.grantId).changes === 1;
  const redeem = db.transaction(
    (codeHash: string, at: number, token: NewOAuthToken | undefined) => {
      const row = q.code.get(codeHash);
      if (row === undefined) return "unknown";
      if (q.useCode.run(at, codeHash).changes === 0) {
        revokeGrant(row.grant_id, at);
        return "replayed";
      }
      if (token === undefined) return "redeemed";
      return saveToken({ ...token, grantId: row.grant_id }) ? "redeemed" : "unknown";
    },
  );
  const rotate = db.transaction(
    (refreshHash: string, at: number, next: NewOAuthToken | undefined) => {
      const row = q.tokenByRefresh.get(refreshHash);
      if (row === undefined || row.revoked_at !== null) return "unknown";
      if (q.rotate.run(at, refreshHash).changes === 0) {
        revokeGrant(row.grant_id, at);
        return "reused";
      }
      if (next === undefined) return "rotated";
      return saveToken({ ...next, grantId: row.grant_id }) ? "rotated" : "unknown";
    },
  );
  const revokeToken = db.transaction((hash: string, clientId: string, at: number) => {
    const refresh = q.tokenByRefresh.get(hash);
    if (refresh !== undefined) {
      if (refresh.client_id === clientId) revokeGrant(refresh.grant_id, at);
      return;
    }
    const access = q.tokenByAccess.get(hash);
    if (access?.client_id === clientId) q.expireAccess.run(hash);
  });
  const revokeAccountGrants = db.transaction((accountId: number, at: number): number => {
    q.dropAccountTokens.run(accountId);
    q.dropAccountDevices.run(accountId);
    return q.revokeAccountGrants.run(at, accountId).changes;
  });
  const revokeOneGrant = db.transaction((accountId: number, grantId: number, at: number) => {
    const changed = q.revokeGrant.run(at, accountId, grantId).changes > 0;
    if (changed) q.dropGrantTokens.run(grantId);
    return changed;
  });
  const takeAttempt = db.transaction((keys: readonly ThrottleKey[], at: number, since: number) => {
    for (const { key, limit } of keys) {
      const row = q.events.get(key, since);
      if ((row?.count ?? 0) >= limit) {
        return { allowed: false, oldest: row?.oldest ?? at } as const;
      }
    }
    const eventIds = keys.map(({ key }) => Number(q.insertEvent.run(key, at).lastInsertRowid));
    return { allowed: true, eventIds } as const;
  });
  const forgetEvents = db.transaction((ids: readonly number[]) => {
    for (const id of ids) q.deleteEvent.run(id);
  });
  const deleteExpired = db.transaction(
    (now: number, eventsBefore: number, unusedClientsBefore: number) => {
      q.deleteExpiredCodes.run(now);
      q.deleteExpiredTokens.run(now, now);
      q.deleteEndedGrants.run(now - EMPTY_GRANT_GRACE_MS);
      q.deleteUnusedClients.run(unusedClientsBefore);
      q.deleteOldEvents.run(eventsBefore);
      q.deleteOldDevices.run(now - DEVICE_LIFETIME_MS);
    },
  );

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

    saveOAuthClient: async (client) => {
      q.insertClient.run(
        client.clientId,
        client.clientName ?? null,
        JSON.stringify(client.redirectUris),
        client.createdAt,
      );
    },
    findOAuthClient: async (clientId) => {
      const row = q.client.get(clientId);
      if (row === undefined) return undefined;
      return {
        clientId: row.client_id,
        clientName: row.client_name ?? undefined,
        redirectUris: JSON.parse(row.redirect_uris) as string[],
        createdAt: row.created_at,
      };
    },

    createGrant: async (grant) =>
      Number(
        q.insertGrant.run(
          grant.accountId,
          grant.clientId,
          grant.scope ?? null,
          grant.resource ?? null,
          grant.createdAt,
        ).lastInsertRowid,
      ),
    listGrants: async (accountId) =>
      q.grants.all(accountId).map((row): OAuthGrantInfo => ({
        id: row.id,
        clientId: row.client_id,
        clientName: row.client_name ?? undefined,
        scope: row.scope ?? undefined,
        resource: row.resource ?? undefined,
        createdAt: row.created_at,
        lastIssuedAt: row.last_issued_at ?? undefined,
      })),
    revokeGrant: async (accountId, grantId, at) => revokeOneGrant.immediate(accountId, grantId, at),
    revokeAllGrants: async (accountId, at) => revokeAccountGrants.immediate(accountId, at),

    saveAuthorizationCode: async (code) => {
      q.insertCode.run(
        code.codeHash,
        code.grantId,
        code.redirectUri,
        code.codeChallenge ?? null,
        code.expiresAt,
      );
    },
    findAuthorizationCode: async (codeHash) => {
      const row = q.code.get(codeHash);
      return row === undefined ? undefined : { ...toCode(row), used: row.used_at !== null };
    },
    redeemAuthorizationCode: async (codeHash, at, token) => redeem.immediate(codeHash, at, token),

    saveOAuthToken: async (token) => saveToken(token),
    findOAuthTokenByAccessHash: async (hash) => {
      const row = q.tokenByAccess.get(hash);
      return row === undefined ? undefined : toToken(row);
    },
    findOAuthTokenByRefreshHash: async (hash) => {
      const row = q.tokenByRefresh.get(hash);
      if (row === undefined || row.revoked_at !== null) return undefined;
      return { ...toToken(row), rotated: row.rotated_at !== null };
    },
    rotateRefreshToken: async (hash, at, next) => rotate.immediate(hash, at, next),
    revokeOAuthToken: async (hash, clientId, at) => {
      revokeToken.immediate(hash, clientId, at);
    },

    saveSignInDevice: async (accountId, deviceHash, at) => {
      q.insertDevice.run(deviceHash, accountId, at);
    },
    isSignInDevice: async (accountId, deviceHash) =>
      q.device.get(deviceHash, accountId) !== undefined,

    takeThrottleAttempt: async (keys, at, since) => takeAttempt.immediate(keys, at, since),
    forgetThrottleEvents: async (ids) => {
      forgetEvents.immediate(ids);
    },
    clearThrottleEvents: async (key) => {
      q.clearEvents.run(key);
    },
    deleteExpired: async (now, eventsBefore, unusedClientsBefore) => {
      deleteExpired.immediate(now, eventsBefore, unusedClientsBefore);
    },
  };
}
