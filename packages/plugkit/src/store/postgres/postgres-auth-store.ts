import type { Account, AuthStore, NewOAuthToken } from "../../auth/auth-store";
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
} from "../auth-rows";
import type { PostgresDatabase, PostgresQueryable } from "./postgres-database";

// Usernames are ASCII (USERNAME_PATTERN); SQLite's NOCASE folds ASCII only. Matching only ASCII
// input keeps PostgreSQL's Unicode-aware lower() (the Kelvin sign is a "k") from doing more.
const ASCII = /^[\x20-\x7e]*$/;

const GRANT_COLUMNS = `g.id, g.client_id, c.client_name, g.scope, g.resource, g.created_at,
  (SELECT max(t.created_at) FROM oauth_tokens t WHERE t.grant_id = g.id) AS last_issued_at`;

async function revokeGrantIn(tx: PostgresQueryable, grantId: number, at: number): Promise<void> {
  await tx.query("UPDATE oauth_grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", [
    at,
    grantId,
  ]);
  await tx.query("DELETE FROM oauth_tokens WHERE grant_id = $1", [grantId]);
}

const CODE_SELECT = `SELECT c.code_hash, c.grant_id, c.redirect_uri, c.code_challenge, c.expires_at,
  c.used_at, g.account_id, g.client_id, g.scope, g.resource
  FROM oauth_codes c JOIN oauth_grants g ON g.id = c.grant_id`;

/**
 * Saves a token pair into its grant while holding the grant's row (FOR SHARE) until commit: a
 * revocation waits, then deletes this token too; a grant revoked first is seen revoked here.
 */
async function saveTokenIn(tx: PostgresQueryable, token: NewOAuthToken): Promise<boolean> {
  const live = await tx.query(
    "SELECT 1 FROM oauth_grants WHERE id = $1 AND revoked_at IS NULL FOR SHARE",
    [token.grantId],
  );
  if (live.rowCount === 0) return false;
  await tx.query(
    `INSERT INTO oauth_tokens (grant_id, scope, access_token_hash, access_expires_at,
       refresh_token_hash, refresh_expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    tokenValues(token),
  );
  return true;
}

/**
 * The {@link AuthStore} on PostgreSQL, shared by every instance on the database. Races are
 * decided by row locks: a conditional UPDATE (a code's `used_at`, a token's `rotated_at`) lets
 * exactly one of several simultaneous requests through, a token is saved only while its grant's
 * row is locked against revocation, and throttle counters are counted under an advisory lock
 * per key.
 */
export function createPostgresAuthStore(db: PostgresDatabase): AuthStore {
  const one = async <Row extends object>(
    q: PostgresQueryable,
    sql: string,
    values: readonly unknown[],
  ): Promise<Row | undefined> => (await q.query<Row>(sql, values)).rows[0];

  return {
    createAccount: async (username, passwordHash) => {
      const row = await one<{ id: number }>(
        db,
        `INSERT INTO accounts (username, password_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING id`,
        [username, passwordHash, Date.now()],
      );
      return row === undefined ? undefined : { id: row.id, username };
    },
    findAccountByUsername: async (username) => {
      if (!ASCII.test(username)) return undefined;
      const row = await one<AccountRow>(
        db,
        "SELECT id, username, password_hash FROM accounts WHERE lower(username) = lower($1)",
        [username],
      );
      return row === undefined
        ? undefined
        : { id: row.id, username: row.username, passwordHash: row.password_hash };
    },
    listAccounts: async () =>
      (
        await db.query<Account>(
          "SELECT id, username FROM accounts ORDER BY lower(username), username",
        )
      ).rows,
    setPasswordHash: async (accountId, passwordHash) =>
      (
        await db.query("UPDATE accounts SET password_hash = $1 WHERE id = $2", [
          passwordHash,
          accountId,
        ])
      ).rowCount > 0,
    deleteAccount: async (accountId) =>
      (await db.query("DELETE FROM accounts WHERE id = $1", [accountId])).rowCount > 0,

    createApiToken: async (accountId, tokenHash, label, createdAt) => {
      const row = await one<{ id: number }>(
        db,
        `INSERT INTO api_tokens (account_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4)
         RETURNING id`,
        [accountId, tokenHash, label, createdAt],
      );
      return { id: row?.id ?? 0, label, createdAt, lastUsedAt: undefined };
    },
    useApiToken: async (tokenHash, usedAt) => {
      const row = await one<Account & { token_id: number }>(
        db,
        `SELECT a.id, a.username, t.id AS token_id FROM api_tokens t
         JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = $1`,
        [tokenHash],
      );
      if (row === undefined) return undefined;
      // At most one write a minute per token.
      await db.query(
        `UPDATE api_tokens SET last_used_at = $1
         WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)`,
        [usedAt, row.token_id, usedAt - 60_000],
      );
      return { id: row.id, username: row.username };
    },
    listApiTokens: async (accountId) =>
      (
        await db.query<{
          id: number;
          label: string;
          created_at: number;
          last_used_at: number | null;
        }>(
          "SELECT id, label, created_at, last_used_at FROM api_tokens WHERE account_id = $1 ORDER BY id",
          [accountId],
        )
      ).rows.map((row) => ({
        id: row.id,
        label: row.label,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at ?? undefined,
      })),
    revokeApiToken: async (accountId, tokenId) =>
      (
        await db.query("DELETE FROM api_tokens WHERE account_id = $1 AND id = $2", [
          accountId,
          tokenId,
        ])
      ).rowCount > 0,

    saveOAuthClient: async (client) => {
      await db.query(
        `INSERT INTO oauth_clients (client_id, client_name, redirect_uris, created_at)
         VALUES ($1, $2, $3, $4)`,
        [
          client.clientId,
          client.clientName ?? null,
          JSON.stringify(client.redirectUris),
          client.createdAt,
        ],
      );
    },
    findOAuthClient: async (clientId) => {
      const row = await one<{
        client_id: string;
        client_name: string | null;
        redirect_uris: string;
        created_at: number;
      }>(
        db,
        "SELECT client_id, client_name, redirect_uris, created_at FROM oauth_clients WHERE client_id = $1",
        [clientId],
      );
      if (row === undefined) return undefined;
      return {
        clientId: row.client_id,
        clientName: row.client_name ?? undefined,
        redirectUris: JSON.parse(row.redirect_uris) as string[],
        createdAt: row.created_at,
      };
    },

    createGrant: async (grant) => {
      const row = await one<{ id: number }>(
        db,
        `INSERT INTO oauth_grants (account_id, client_id, scope, resource, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [
          grant.accountId,
          grant.clientId,
          grant.scope ?? null,
          grant.resource ?? null,
          grant.createdAt,
        ],
      );
      return row?.id ?? 0;
    },
    listGrants: async (accountId) =>
      (
        await db.query<{
          id: number;
          client_id: string;
          client_name: string | null;
          scope: string | null;
          resource: string | null;
          created_at: number;
          last_issued_at: number | null;
        }>(
          `SELECT ${GRANT_COLUMNS}
           FROM oauth_grants g LEFT JOIN oauth_clients c ON c.client_id = g.client_id
           WHERE g.account_id = $1 AND g.revoked_at IS NULL
             AND EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = g.id)
           ORDER BY g.id DESC`,
          [accountId],
        )
      ).rows.map((row) => ({
        id: row.id,
        clientId: row.client_id,
        clientName: row.client_name ?? undefined,
        scope: row.scope ?? undefined,
        resource: row.resource ?? undefined,
        createdAt: row.created_at,
        lastIssuedAt: row.last_issued_at ?? undefined,
      })),
    revokeGrant: (accountId, grantId, at) =>
      db.transaction(async (tx) => {
        const changed =
          (
            await tx.query(
              `UPDATE oauth_grants SET revoked_at = $1
               WHERE account_id = $2 AND id = $3 AND revoked_at IS NULL`,
              [at, accountId, grantId],
            )
          ).rowCount > 0;
        if (changed) await tx.query("DELETE FROM oauth_tokens WHERE grant_id = $1", [grantId]);
        return changed;
      }),
    revokeAllGrants: (accountId, at) =>
      db.transaction(async (tx) => {
        const revoked = await tx.query(
          "UPDATE oauth_grants SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
          [at, accountId],
        );
        await tx.query(
          "DELETE FROM oauth_tokens WHERE grant_id IN (SELECT id FROM oauth_grants WHERE account_id = $1)",
          [accountId],
        );
        await tx.query("DELETE FROM sign_in_devices WHERE account_id = $1", [accountId]);
        return revoked.rowCount;
      }),

    saveAuthorizationCode: async (code) => {
      await db.query(
        `INSERT INTO oauth_codes (code_hash, grant_id, redirect_uri, code_challenge, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [code.codeHash, code.grantId, code.redirectUri, code.codeChallenge ?? null, code.expiresAt],
      );
    },
    findAuthorizationCode: async (codeHash) => {
      const row = await one<CodeRow>(db, `${CODE_SELECT} WHERE c.code_hash = $1`, [codeHash]);
      return row === undefined ? undefined : { ...toCode(row), used: row.used_at !== null };
    },
    redeemAuthorizationCode: (codeHash, at, token) =>
      db.transaction(async (tx) => {
        // Of simultaneous redemptions, the first UPDATE wins; the others wait for it to commit
        // (its token saved) and then find used_at set: a replay.
        const used = await one<{ grant_id: number }>(
          tx,
          "UPDATE oauth_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL RETURNING grant_id",
          [at, codeHash],
        );
        if (used === undefined) {
          const code = await one<{ grant_id: number }>(
            tx,
            "SELECT grant_id FROM oauth_codes WHERE code_hash = $1",
            [codeHash],
          );
          if (code === undefined) return "unknown";
          await revokeGrantIn(tx, code.grant_id, at);
          return "replayed";
        }
        if (token === undefined) return "redeemed";
        return (await saveTokenIn(tx, { ...token, grantId: used.grant_id }))
          ? "redeemed"
          : "unknown";
      }),

    saveOAuthToken: (token) => db.transaction((tx) => saveTokenIn(tx, token)),
    findOAuthTokenByAccessHash: async (hash) => {
      const row = await one<TokenRow>(
        db,
        `SELECT ${TOKEN_COLUMNS} FROM ${TOKEN_JOIN}
         WHERE t.access_token_hash = $1 AND t.rotated_at IS NULL AND g.revoked_at IS NULL`,
        [hash],
      );
      return row === undefined ? undefined : toToken(row);
    },
    findOAuthTokenByRefreshHash: async (hash) => {
      const row = await one<TokenRow & { rotated_at: number | null }>(
        db,
        `SELECT ${TOKEN_COLUMNS}, t.rotated_at FROM ${TOKEN_JOIN}
         WHERE t.refresh_token_hash = $1 AND g.revoked_at IS NULL`,
        [hash],
      );
      return row === undefined ? undefined : { ...toToken(row), rotated: row.rotated_at !== null };
    },
    rotateRefreshToken: (hash, at, next) =>
      db.transaction(async (tx) => {
        // The grant's row first and exclusively, as a revocation takes it: the same order, so no
        // deadlock, and simultaneous refreshes of one grant queue here (a shared lock would let
        // two of them meet again when the loser revokes the grant).
        await tx.query(
          `SELECT 1 FROM oauth_grants g JOIN oauth_tokens t ON t.grant_id = g.id
           WHERE t.refresh_token_hash = $1 FOR UPDATE OF g`,
          [hash],
        );
        const rotated = await one<{ grant_id: number }>(
          tx,
          `UPDATE oauth_tokens t SET rotated_at = $1 FROM oauth_grants g
           WHERE g.id = t.grant_id AND t.refresh_token_hash = $2 AND t.rotated_at IS NULL
             AND g.revoked_at IS NULL
           RETURNING t.grant_id`,
          [at, hash],
        );
        if (rotated === undefined) {
          const token = await one<{ grant_id: number; revoked_at: number | null }>(
            tx,
            `SELECT t.grant_id, g.revoked_at FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id
             WHERE t.refresh_token_hash = $1`,
            [hash],
          );
          if (token === undefined || token.revoked_at !== null) return "unknown";
          await revokeGrantIn(tx, token.grant_id, at);
          return "reused";
        }
        if (next === undefined) return "rotated";
        return (await saveTokenIn(tx, { ...next, grantId: rotated.grant_id }))
          ? "rotated"
          : "unknown";
      }),
    revokeOAuthToken: (hash, clientId, at) =>
      db.transaction(async (tx) => {
        const refresh = await one<{ grant_id: number; client_id: string }>(
          tx,
          `SELECT t.grant_id, g.client_id FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id
           WHERE t.refresh_token_hash = $1`,
          [hash],
        );
        if (refresh !== undefined) {
          if (refresh.client_id === clientId) await revokeGrantIn(tx, refresh.grant_id, at);
          return;
        }
        await tx.query(
          `UPDATE oauth_tokens t SET access_expires_at = 0 FROM oauth_grants g
           WHERE g.id = t.grant_id AND t.access_token_hash = $1 AND g.client_id = $2
             AND t.rotated_at IS NULL AND g.revoked_at IS NULL`,
          [hash, clientId],
        );
      }),

    saveSignInDevice: async (accountId, deviceHash, at) => {
      await db.query(
        `INSERT INTO sign_in_devices (device_hash, account_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (device_hash) DO NOTHING`,
        [deviceHash, accountId, at],
      );
    },
    isSignInDevice: async (accountId, deviceHash) =>
      (
        await db.query("SELECT 1 FROM sign_in_devices WHERE device_hash = $1 AND account_id = $2", [
          deviceHash,
          accountId,
        ])
      ).rowCount > 0,

    takeThrottleAttempt: (keys, at, since) =>
      db.transaction(async (tx) => {
        // One advisory lock per key, taken in a fixed order so two attempts cannot deadlock;
        // held until commit, so attempts on a key are counted one after another.
        const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        for (const { key } of sorted) {
          await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
            `plugkit.throttle:${key}`,
          ]);
        }
        for (const { key, limit } of keys) {
          const row = await one<{ count: number; oldest: number | null }>(
            tx,
            "SELECT count(*) AS count, min(at) AS oldest FROM throttle_events WHERE key = $1 AND at > $2",
            [key, since],
          );
          if ((row?.count ?? 0) >= limit) {
            return { allowed: false, oldest: row?.oldest ?? at } as const;
          }
        }
        const eventIds: number[] = [];
        for (const { key } of keys) {
          const row = await one<{ id: number }>(
            tx,
            "INSERT INTO throttle_events (key, at) VALUES ($1, $2) RETURNING id",
            [key, at],
          );
          eventIds.push(row?.id ?? 0);
        }
        return { allowed: true, eventIds } as const;
      }),
    forgetThrottleEvents: async (ids) => {
      if (ids.length === 0) return;
      await db.query("DELETE FROM throttle_events WHERE id = ANY($1::bigint[])", [ids]);
    },
    clearThrottleEvents: async (key) => {
      await db.query("DELETE FROM throttle_events WHERE key = $1", [key]);
    },
    deleteExpired: (now, eventsBefore, unusedClientsBefore) =>
      db.transaction(async (tx) => {
        await tx.query(
          `DELETE FROM oauth_codes c WHERE c.expires_at <= $1 AND (c.used_at IS NULL
             OR NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = c.grant_id))`,
          [now],
        );
        await tx.query(
          `DELETE FROM oauth_tokens WHERE access_expires_at <= $1
           AND (refresh_expires_at IS NULL OR refresh_expires_at <= $1)`,
          [now],
        );
        // A grant with nothing in it is deleted only once it is older than the longest code
        // lifetime: a new one gets its code a moment after it is made, maybe on another instance.
        await tx.query(
          `DELETE FROM oauth_grants g WHERE g.revoked_at IS NOT NULL
             OR (g.created_at <= $1
                 AND NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = g.id)
                 AND NOT EXISTS (SELECT 1 FROM oauth_codes c WHERE c.grant_id = g.id))`,
          [now - EMPTY_GRANT_GRACE_MS],
        );
        await tx.query(
          `DELETE FROM oauth_clients c WHERE c.created_at <= $1
           AND NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.client_id = c.client_id)`,
          [unusedClientsBefore],
        );
        await tx.query("DELETE FROM throttle_events WHERE at <= $1", [eventsBefore]);
        await tx.query("DELETE FROM sign_in_devices WHERE created_at <= $1", [
          now - DEVICE_LIFETIME_MS,
        ]);
      }),
  };
}
