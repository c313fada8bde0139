import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { AuthStore } from "../auth/auth-store";
import type { DatabaseLocation, SqliteLocation } from "../config/plugin-config";
import type { PostgresLocation } from "../config/postgres-url";
import { ConfigError } from "../errors";
import { silentLogger, type Logger } from "../logging/logger";
import { createPostgresAuthStore } from "./postgres/postgres-auth-store";
import { POSTGRES_AUTH_STEPS } from "./postgres/postgres-auth-schema";
import {
  createPostgresDatabase,
  createPostgresPool,
  databaseUnavailable,
  isDatabaseUnavailable,
  type PostgresDatabase,
} from "./postgres/postgres-database";
import { checkPostgresMigrations, migratePostgres } from "./postgres/postgres-migrations";
import { createSqliteAuthStore } from "./sqlite-auth-store";
import { migrateSqlite, type PluginMigrations } from "./sqlite-migrations";

/** plugkit's own tables: accounts, API tokens, OAuth clients, grants, codes and tokens, throttling. */
export const AUTH_MIGRATIONS: PluginMigrations = {
  component: "plugkit.auth",
  baseline: (schema) => (schema.hasTable("accounts") ? 1 : 0),
  postgres: POSTGRES_AUTH_STEPS,
  sqlite: [
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
  migrations?: readonly PluginMigrations[];
  /** SQLite: how long a write waits for another process's write to finish, in ms. @default 10000 */
  busyTimeoutMs?: number;
  /** Where the database's comings and goings are logged. @default nowhere */
  logger?: Logger;
  /**
   * PostgreSQL: keep retrying to connect and migrate while the server does not answer (a
   * server process: it answers 503 meanwhile). `false` fails `ready()` at the first problem
   * (a command-line tool). @default true
   */
  retry?: boolean;
}

interface PluginDatabaseBase {
  /** Accounts, API tokens and OAuth state, for the auth types and the accounts CLI. */
  readonly auth: AuthStore;
  /** Where the database is, without secrets: a file path or `postgres://user@host:port/db`. */
  readonly display: string;
  /**
   * Resolves once the database answers and is migrated: at once for SQLite; for PostgreSQL
   * when the server first answers (until then every query answers 503).
   */
  ready(): Promise<void>;
  /** Resolves if the database answers now; throws an error saying why not. */
  ping(): Promise<void>;
  /** Closes the database (the pool's connections). */
  close(): Promise<void>;
}

/** A SQLite file (the default): the connection is for the plugin's own stores. */
export interface SqlitePluginDatabase extends PluginDatabaseBase {
  readonly kind: "sqlite";
  readonly sqlite: Database.Database;
}

/** A PostgreSQL server: a pool, for the plugin's own stores. */
export interface PostgresPluginDatabase extends PluginDatabaseBase {
  readonly kind: "postgres";
  readonly postgres: PostgresDatabase;
}

/** A plugin's database: plugkit's auth state and the plugin's own tables, in one place. */
export type PluginDatabase = SqlitePluginDatabase | PostgresPluginDatabase;

/**
 * Opens the database `DATABASE_URL` names and migrates plugkit's tables and then the
 * plugin's. A SQLite file is created if needed and opened at once, in WAL mode (readers never
 * wait for writers) with synchronous=FULL (each committed write is durable) and foreign keys
 * on. A PostgreSQL server is connected to in the background, so a server that is down at start
 * delays readiness instead of crashing the process; see `ready()`.
 *
 * @example
 * const database = openPluginDatabase(config.database, { migrations: [TODO_MIGRATIONS] });
 */
export function openPluginDatabase(
  location: SqliteLocation,
  options?: OpenPluginDatabaseOptions,
): SqlitePluginDatabase;
export function openPluginDatabase(
  location: PostgresLocation,
  options?: OpenPluginDatabaseOptions,
): PostgresPluginDatabase;
export function openPluginDatabase(
  location: DatabaseLocation,
  options?: OpenPluginDatabaseOptions,
): PluginDatabase;
export function openPluginDatabase(
  location: DatabaseLocation,
  options: OpenPluginDatabaseOptions = {},
): PluginDatabase {
  const components = [AUTH_MIGRATIONS, ...(options.migrations ?? [])];
  return location.kind === "sqlite"
    ? openSqlite(location, components, options)
    : openPostgres(location, components, options);
}

/**
 * `PRAGMA journal_mode = WAL`, retried while another process holds the lock: SQLite answers
 * SQLITE_BUSY at once, without waiting out the busy timeout, when two processes open a new
 * database file together and both try to switch it.
 */
function switchToWal(db: Database.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== "SQLITE_BUSY" || Date.now() >= deadline) throw error;
      // A synchronous pause: opening the database is synchronous.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

function openSqlite(
  location: SqliteLocation,
  components: readonly PluginMigrations[],
  options: OpenPluginDatabaseOptions,
): SqlitePluginDatabase {
  const { path } = location;
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    switchToWal(db, busyTimeoutMs);
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrateSqlite(db, components);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    kind: "sqlite",
    sqlite: db,
    auth: createSqliteAuthStore(db),
    display: path,
    ready: async () => undefined,
    ping: async () => {
      if (!db.open) throw new Error("closed");
      db.prepare("SELECT 1").get();
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}

function openPostgres(
  location: PostgresLocation,
  components: readonly PluginMigrations[],
  options: OpenPluginDatabaseOptions,
): PostgresPluginDatabase {
  checkPostgresMigrations(components);
  const { logger = silentLogger, retry = true } = options;
  const pool = createPostgresPool(location, logger);
  type State = "starting" | "ready" | "failed" | "closed";
  let state = "starting" as State;
  let wake: (() => void) | undefined;
  const postgres = createPostgresDatabase(pool, () => state === "ready", logger);

  const ready = (async () => {
    for (let delay = 500; ; delay = Math.min(delay * 2, 30_000)) {
      if (state === "closed") throw databaseUnavailable();
      try {
        await migratePostgres(pool, components);
        state = "ready";
        logger.info({ database: location.display }, "database ready");
        return;
      } catch (error) {
        const message = describe(error);
        if (!retry) {
          state = "failed";
          throw error instanceof ConfigError
            ? error
            : new ConfigError(`DATABASE_URL: ${location.display}: ${message}`, { cause: error });
        }
        logger[isDatabaseUnavailable(error) ? "warn" : "error"](
          { database: location.display, err: message, retry_in_ms: delay },
          "database not ready; requests get 503 until it is",
        );
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay).unref();
      });
    }
  })();
  // Nobody may be waiting; the failure is logged (or reported by ready()).
  ready.catch(() => undefined);

  return {
    kind: "postgres",
    postgres,
    auth: createPostgresAuthStore(postgres),
    display: location.display,
    ready: () => ready,
    ping: async () => {
      if (state !== "ready") throw new Error("not connected yet: the server has not answered");
      try {
        await pool.query("SELECT 1");
      } catch (error) {
        throw new Error(describe(error), { cause: error });
      }
    },
    close: async () => {
      if (state === "closed") return;
      state = "closed";
      wake?.();
      await pool.end();
    },
  };
}

/** One line about why the database is not ready, without the password. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text =
      error.message === "" && error instanceof AggregateError
        ? error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join("; ")
        : error.message;
    return typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(error);
}
