import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

/**
 * Schema changes, applied in order at startup. `PRAGMA user_version` records how many have
 * run; append new steps, never edit old ones.
 */
const MIGRATIONS: readonly string[] = [
  // 1: todos, one list per username.
  `CREATE TABLE todos (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     username   TEXT    NOT NULL,
     text       TEXT    NOT NULL,
     created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   CREATE INDEX todos_by_username ON todos (username, id);`,
  // 2: accounts and their auth state; todos of signed-in callers belong to their account.
  `CREATE TABLE accounts (
     id            INTEGER PRIMARY KEY AUTOINCREMENT,
     username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
     password_hash TEXT    NOT NULL,
     created_at    INTEGER NOT NULL
   );
   ALTER TABLE todos ADD COLUMN account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE;
   DROP INDEX todos_by_username;
   CREATE INDEX todos_by_owner ON todos (account_id, username, id);
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
  // 3: the embedded basketball stats dataset (loaded from assets/stats at start-up).
  `CREATE TABLE stats_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE stats_teams (
     id INTEGER PRIMARY KEY, abbreviation TEXT NOT NULL, city TEXT NOT NULL, name TEXT NOT NULL,
     conference TEXT NOT NULL, division TEXT NOT NULL
   );
   CREATE TABLE stats_players (
     id INTEGER PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, position TEXT NOT NULL,
     height TEXT, weight TEXT, jersey_number TEXT, college TEXT, country TEXT, draft_year INTEGER,
     team_id INTEGER REFERENCES stats_teams (id)
   );
   CREATE TABLE stats_games (
     id INTEGER PRIMARY KEY, date TEXT NOT NULL, season INTEGER NOT NULL,
     home_team_id INTEGER NOT NULL REFERENCES stats_teams (id), visitor_team_id INTEGER NOT NULL REFERENCES stats_teams (id),
     home_team_score INTEGER NOT NULL, visitor_team_score INTEGER NOT NULL, period INTEGER NOT NULL,
     postseason INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX stats_games_by_date ON stats_games (date, id);
   CREATE TABLE stats_lines (
     id INTEGER PRIMARY KEY, game_id INTEGER NOT NULL REFERENCES stats_games (id),
     player_id INTEGER NOT NULL REFERENCES stats_players (id), team_id INTEGER NOT NULL REFERENCES stats_teams (id),
     min INTEGER NOT NULL, fgm INTEGER NOT NULL, fga INTEGER NOT NULL, fg3m INTEGER NOT NULL, fg3a INTEGER NOT NULL,
     ftm INTEGER NOT NULL, fta INTEGER NOT NULL, oreb INTEGER NOT NULL, dreb INTEGER NOT NULL, ast INTEGER NOT NULL,
     stl INTEGER NOT NULL, blk INTEGER NOT NULL, turnover INTEGER NOT NULL, pf INTEGER NOT NULL
   );
   CREATE INDEX stats_lines_by_game ON stats_lines (game_id);
   CREATE INDEX stats_lines_by_player ON stats_lines (player_id, game_id);`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings a database to the latest schema; refuses one written by newer code. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `The database schema is version ${version}, newer than this code knows (${MIGRATIONS.length}); upgrade plugkit.`,
      );
    }
    for (const step of MIGRATIONS.slice(version)) db.exec(step);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** How long a write waits for another process's write to finish, in ms. @default 10000 */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the SQLite file that holds todos and auth state: WAL mode so
 * readers never wait for writers, synchronous=FULL so each committed write is durable,
 * foreign keys on, and the schema migrated.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
