import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPluginDatabase, type SqlitePluginDatabase } from "plugkit";
import { TODO_MIGRATIONS } from "../../src/store/migrations";
import { createSqliteTodoStore } from "../../src/store/sqlite-todo-store";
import type { TodoListRef, TodoStore } from "../../src/store/todo-store";

let dir: string;
let path: string;
const databases: SqlitePluginDatabase[] = [];
const openDatabase = (options: { busyTimeoutMs?: number } = {}): SqlitePluginDatabase => {
  const database = openPluginDatabase(
    { kind: "sqlite", path },
    { migrations: [TODO_MIGRATIONS], ...options },
  );
  databases.push(database);
  return database;
};
const open = (options: { maxTodosPerList?: number } = {}): TodoStore =>
  createSqliteTodoStore(openDatabase().sqlite, options);
const shared = (username: string): TodoListRef => ({ accountId: null, username });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-store-"));
  path = join(dir, "nested", "todos.db");
});
afterEach(async () => {
  for (const database of databases.splice(0)) await database.close();
  rmSync(dir, { recursive: true, force: true });
});

// What only SQLite does; the behaviour both databases share is in todo-store.test.ts.
describe("SQLite todo store", () => {
  it("creates the file, its directory and the latest schema, in WAL mode", async () => {
    const store = open();
    expect(await store.list(shared("global"))).toEqual([]);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(
      db.prepare("SELECT component, version FROM plugkit_migrations ORDER BY component").all(),
    ).toEqual([
      { component: "plugkit.auth", version: 3 },
      { component: "todos", version: 2 },
    ]);
    db.close();
  });

  it("fails with SQLITE_BUSY (which plugkit answers with a 503) when another process holds the write lock too long", async () => {
    const holder = openDatabase();
    const waiting = openDatabase({ busyTimeoutMs: 50 });
    holder.sqlite.exec("BEGIN IMMEDIATE");
    const error = await createSqliteTodoStore(waiting.sqlite)
      .add(shared("u"), "blocked")
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    holder.sqlite.exec("ROLLBACK");
    expect((error as { code?: unknown }).code).toBe("SQLITE_BUSY");
    expect(await createSqliteTodoStore(waiting.sqlite).add(shared("u"), "later")).toEqual({
      added: true,
      index: 0,
    });
  });

  it("migrates a version-1 database and keeps its todos", async () => {
    const db = new Database(path.replace("nested/", ""));
    db.exec(`CREATE TABLE todos (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, text TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
      CREATE INDEX todos_by_username ON todos (username, id);
      INSERT INTO todos (username, text) VALUES ('global', 'from v1');
      PRAGMA user_version = 1;`);
    db.close();
    path = path.replace("nested/", "");
    expect(await open().list(shared("global"))).toEqual(["from v1"]);
  });

  it("adopts a plugkit 0.1 database (no migrations table) and keeps its accounts and todos", async () => {
    const db = new Database(path.replace("nested/", ""));
    db.exec(`CREATE TABLE todos (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, text TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
      CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
      ALTER TABLE todos ADD COLUMN account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE;
      CREATE TABLE api_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, account_id INTEGER NOT NULL, token_hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL, created_at INTEGER NOT NULL, last_used_at INTEGER);
      CREATE TABLE oauth_codes (code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, account_id INTEGER NOT NULL,
        redirect_uri TEXT NOT NULL, scope TEXT, expires_at INTEGER NOT NULL);
      CREATE TABLE oauth_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, access_token_hash TEXT NOT NULL UNIQUE,
        access_expires_at INTEGER NOT NULL, refresh_token_hash TEXT UNIQUE, refresh_expires_at INTEGER,
        client_id TEXT NOT NULL, account_id INTEGER NOT NULL, scope TEXT);
      CREATE TABLE sign_in_failures (key TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE TABLE stats_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO accounts (username, password_hash, created_at) VALUES ('alice', 'x', 0);
      INSERT INTO todos (username, text, account_id) VALUES ('global', 'from 0.1', 1);
      PRAGMA user_version = 3;`);
    db.close();
    path = path.replace("nested/", "");
    const database = openDatabase();
    expect(await database.auth.listAccounts()).toEqual([{ id: 1, username: "alice" }]);
    expect(
      await createSqliteTodoStore(database.sqlite).list({ accountId: 1, username: "global" }),
    ).toEqual(["from 0.1"]);
  });

  it("refuses a database written by a newer schema", () => {
    openDatabase().sqlite.exec(
      "UPDATE plugkit_migrations SET version = 99 WHERE component = 'todos'",
    );
    expect(() => openDatabase()).toThrow(
      /"todos" schema is version 99, newer than this code knows/,
    );
  });
});
