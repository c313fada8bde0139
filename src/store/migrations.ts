import type { PluginMigrations } from "plugkit";

/** The todo lists. plugkit's `accounts` table exists by the time these run. */
export const TODO_MIGRATIONS: PluginMigrations = {
  component: "todos",
  // SQLite databases from before plugkit tracked components have the tables already.
  baseline: (schema) =>
    !schema.hasTable("todos") ? 0 : schema.hasColumn("todos", "account_id") ? 2 : 1,
  // 1: the schema SQLite's two steps arrive at.
  postgres: [
    `CREATE TABLE todos (
       id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       account_id bigint      REFERENCES accounts (id) ON DELETE CASCADE,
       username   text        NOT NULL,
       text       text        NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     );
     CREATE INDEX todos_by_owner ON todos (account_id, username, id);`,
  ],
  sqlite: [
    // 1: one list per username.
    `CREATE TABLE todos (
       id         INTEGER PRIMARY KEY AUTOINCREMENT,
       username   TEXT    NOT NULL,
       text       TEXT    NOT NULL,
       created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     );
     CREATE INDEX todos_by_username ON todos (username, id);`,
    // 2: the lists of signed-in callers belong to their account (NULL: the shared lists).
    `ALTER TABLE todos ADD COLUMN account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE;
     DROP INDEX todos_by_username;
     CREATE INDEX todos_by_owner ON todos (account_id, username, id);`,
  ],
};

/**
 * The embedded basketball stats dataset, loaded from assets/stats on the first question into
 * an in-memory SQLite database of its own, whatever `DATABASE_URL` says. A stat line carries its
 * game's date, so a page in date order is read from an index, 25 rows, instead of sorting
 * every line.
 */
export const STATS_SCHEMA = `CREATE TABLE stats_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
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
       stl INTEGER NOT NULL, blk INTEGER NOT NULL, turnover INTEGER NOT NULL, pf INTEGER NOT NULL,
       date TEXT NOT NULL DEFAULT ''
     );
     CREATE INDEX stats_lines_by_date ON stats_lines (date, game_id, id);
     CREATE INDEX stats_lines_by_game ON stats_lines (game_id, id);
     CREATE INDEX stats_lines_by_player ON stats_lines (player_id, date, game_id, id);`;
