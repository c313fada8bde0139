import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { TODO_LIMITS, type AddResult, type RemoveResult, type TodoStore } from "./todo-store";

/** Options for {@link createSqliteTodoStore}. */
export interface SqliteTodoStoreOptions {
  /** Database file; its directory is created if missing. `:memory:` for a private in-memory database. */
  path: string;
  /** Most todos one user can have. @default TODO_LIMITS.maxTodosPerUser */
  maxTodosPerUser?: number;
  /** How long a write waits for another process's write to finish, in ms. @default 5000 */
  busyTimeoutMs?: number;
}

/**
 * Schema changes, applied in order at startup. `PRAGMA user_version` records how many have
 * run; append new steps, never edit old ones.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE todos (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     username   TEXT    NOT NULL,
     text       TEXT    NOT NULL,
     created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   CREATE INDEX todos_by_username ON todos (username, id);`,
];

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

/**
 * A {@link TodoStore} in a SQLite file (better-sqlite3, WAL mode). Every write runs in an
 * IMMEDIATE transaction, so concurrent writers, in this process or others sharing the file,
 * are serialised and none is lost; synchronous=FULL makes each committed write durable.
 *
 * @example
 * const store = createSqliteTodoStore({ path: "data/plugkit.db" });
 */
export function createSqliteTodoStore(options: SqliteTodoStoreOptions): TodoStore {
  const { path, maxTodosPerUser = TODO_LIMITS.maxTodosPerUser, busyTimeoutMs = 5000 } = options;
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const listTexts = db.prepare<[string], { text: string }>(
    "SELECT text FROM todos WHERE username = ? ORDER BY id",
  );
  const countTodos = db.prepare<[string], { count: number }>(
    "SELECT count(*) AS count FROM todos WHERE username = ?",
  );
  const insertTodo = db.prepare<[string, string]>(
    "INSERT INTO todos (username, text) VALUES (?, ?)",
  );
  const todoAt = db.prepare<[string, number], { id: number; text: string }>(
    "SELECT id, text FROM todos WHERE username = ? ORDER BY id LIMIT 1 OFFSET ?",
  );
  const deleteTodo = db.prepare<[number]>("DELETE FROM todos WHERE id = ?");

  const add = db.transaction((username: string, todo: string): AddResult => {
    const count = countTodos.get(username)?.count ?? 0;
    if (count >= maxTodosPerUser) return { added: false, count };
    insertTodo.run(username, todo);
    return { added: true, index: count };
  });
  const remove = db.transaction((username: string, index: number): RemoveResult => {
    const row = todoAt.get(username, index);
    if (row === undefined) return { removed: false, count: countTodos.get(username)?.count ?? 0 };
    deleteTodo.run(row.id);
    return { removed: true, todo: row.text };
  });

  return {
    list: async (username) => listTexts.all(username).map((row) => row.text),
    add: async (username, todo) => add.immediate(username, todo),
    remove: async (username, index) => remove.immediate(username, index),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
