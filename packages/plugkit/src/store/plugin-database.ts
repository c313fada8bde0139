import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { AuthStore } from "../auth/auth-store";
import type { DatabaseLocation } from "../config/plugin-config";
import { createSqliteAuthStore } from "./sqlite-auth-store";
import { migrateSqlite, type SqliteMigrations } from "./sqlite-migrations";

/** plugkit's own tables: accounts, API tokens, OAuth clients, grants, codes and tokens, throttling. */
export const AUTH_MIGRATIONS: SqliteMigrations = {
  component: "plugkit.auth",
  baseline: (schema) => (schema.hasTable("accounts") ? 1 : 0),
  steps: [
    `CREATE TABLE accounts (
       id            INTEGER PRIMARY KEY AUTOINCREMENT,
       username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
       password_hash TEXT    NOT NULL,
       created_at    INTEGER NOT NULL
     );
     CREATE TABLE api_tokens (
       id           INTEGER PRIMARY KEY AUTOINCREMENT,
       account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
       token_hash   TEXT    NOT NULL UNIQUE,
       label        TEXT    NOT NULL,
       created_at   INTEGER NOT NULL,
       last_used_at INTEGER
     );
     CREATE TABLE oauth_codes (
       code_hash    TEXT    PRIMARY KEY,
       client_id    TEXT    NOT NULL,
       account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
       redirect_uri TEXT    NOT NULL,
       scope        TEXT,
       expires_at   INTEGER NOT NULL
     );
     CREATE TABLE oauth_tokens (
       id                 INTEGER PRIMARY KEY AUTOINCREMENT,
       access_token_hash  TEXT    NOT NULL UNIQUE,
       access_expires_at  INTEGER NOT NULL,
       refresh_token_hash TEXT    UNIQUE,
       refresh_expires_at INTEGER,
       client_id          TEXT    NOT NULL,
       account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
       scope              TEXT
     );
     CREATE TABLE sign_in_failures (key TEXT NOT NULL, at INTEGER NOT NULL);
     CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);`,
    // 2: OAuth 2.1: registered clients, grants (so a replayed code or a reused refresh token
    // revokes everything issued in its grant), PKCE and resources, remembered sign-in devices.
    // sign_in_failures now counts throttle events of every kind.
    `CREATE TABLE oauth_clients (
       client_id     TEXT    PRIMARY KEY,
       client_name   TEXT,
       redirect_uris TEXT    NOT NULL,
       created_at    INTEGER NOT NULL
     );
     CREATE TABLE oauth_grants (
       id         INTEGER PRIMARY KEY AUTOINCREMENT,
       account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
       client_id  TEXT    NOT NULL,
       scope      TEXT,
       resource   TEXT,
       created_at INTEGER NOT NULL,
       revoked_at INTEGER
     );
     CREATE INDEX oauth_grants_by_account ON oauth_grants (account_id);
     -- Each existing token pair becomes a grant of its own.
     INSERT INTO oauth_grants (id, account_id, client_id, scope, created_at)
       SELECT id, account_id, client_id, scope, 0 FROM oauth_tokens;
     CREATE TABLE oauth_tokens_v2 (
       id                 INTEGER PRIMARY KEY AUTOINCREMENT,
       grant_id           INTEGER NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
       access_token_hash  TEXT    NOT NULL UNIQUE,
       access_expires_at  INTEGER NOT NULL,
       refresh_token_hash TEXT    UNIQUE,
       refresh_expires_at INTEGER,
       created_at         INTEGER NOT NULL,
       rotated_at         INTEGER
     );
     INSERT INTO oauth_tokens_v2 (grant_id, access_token_hash, access_expires_at,
         refresh_token_hash, refresh_expires_at, created_at)
       SELECT id, access_token_hash, access_expires_at, refresh_token_hash, refresh_expires_at, 0
       FROM oauth_tokens;
     DROP TABLE oauth_tokens;
     ALTER TABLE oauth_tokens_v2 RENAME TO oauth_tokens;
     CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id);
     -- Codes live minutes: pending ones are dropped, not migrated.
     DROP TABLE oauth_codes;
     CREATE TABLE oauth_codes (
       code_hash      TEXT    PRIMARY KEY,
       grant_id       INTEGER NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
       redirect_uri   TEXT    NOT NULL,
       code_challenge TEXT,
       expires_at     INTEGER NOT NULL,
       used_at        INTEGER
     );
     CREATE TABLE sign_in_devices (
       device_hash TEXT    PRIMARY KEY,
       account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
       created_at  INTEGER NOT NULL
     );`,
    // 3: a token's own scope (a refresh may narrow it), and the indexes cleanup needs.
    `ALTER TABLE oauth_tokens ADD COLUMN scope TEXT;
     UPDATE oauth_tokens SET scope = (SELECT g.scope FROM oauth_grants g WHERE g.id = oauth_tokens.grant_id);
     CREATE INDEX oauth_grants_by_client ON oauth_grants (client_id);
     CREATE INDEX oauth_codes_by_grant ON oauth_codes (grant_id);
     CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
     CREATE INDEX sign_in_devices_by_account ON sign_in_devices (account_id);`,
  ],
};

/** Options for {@link openPluginDatabase}. */
export interface OpenPluginDatabaseOptions {
  /** The plugin's own tables, migrated after plugkit's (so they may reference `accounts`). */
  migrations?: readonly SqliteMigrations[];
  /** How long a write waits for another process's write to finish, in ms. @default 10000 */
  busyTimeoutMs?: number;
}

/** A plugin's database: plugkit's auth state and the plugin's own tables, in one place. */
export interface PluginDatabase {
  readonly kind: "sqlite";
  /** The SQLite connection, for the plugin's own stores. */
  readonly sqlite: Database.Database;
  /** Accounts, API tokens and OAuth state, for the auth types and the accounts CLI. */
  readonly auth: AuthStore;
  /** Closes the database. */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the database `DATABASE_URL` names, in WAL mode (readers never
 * wait for writers) with synchronous=FULL (each committed write is durable) and foreign keys
 * on, and migrates plugkit's tables and then the plugin's.
 *
 * @example
 * const database = openPluginDatabase(config.database, { migrations: [TODO_MIGRATIONS] });
 */
export function openPluginDatabase(
  location: DatabaseLocation,
  options: OpenPluginDatabaseOptions = {},
): PluginDatabase {
  const { path } = location;
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrateSqlite(db, [AUTH_MIGRATIONS, ...(options.migrations ?? [])]);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    kind: "sqlite",
    sqlite: db,
    auth: createSqliteAuthStore(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
