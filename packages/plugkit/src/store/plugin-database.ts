import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { AuthStore } from "../auth/auth-store";
import type { DatabaseLocation } from "../config/plugin-config";
import { createSqliteAuthStore } from "./sqlite-auth-store";
import { migrateSqlite, type SqliteMigrations } from "./sqlite-migrations";

/** plugkit's own tables: accounts, API tokens, OAuth codes and tokens, sign-in failures. */
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
