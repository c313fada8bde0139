import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpError } from "../../src/sdk";
import { SCHEMA_VERSION, openDatabase } from "../../src/store/database";
import { createSqliteAuthStore } from "../../src/store/sqlite-auth-store";
import { createSqliteTodoStore } from "../../src/store/sqlite-todo-store";
import type { TodoListRef, TodoStore } from "../../src/store/todo-store";

let dir: string;
let path: string;
const databases: Database.Database[] = [];
const open = (options: { maxTodosPerList?: number } = {}): TodoStore => {
  const db = openDatabase(path);
  databases.push(db);
  return createSqliteTodoStore(db, options);
};
const shared = (username: string): TodoListRef => ({ accountId: null, username });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-store-"));
  path = join(dir, "nested", "todos.db");
});
afterEach(() => {
  for (const db of databases.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SQLite todo store", () => {
  it("creates the file, its directory and the latest schema, in WAL mode", async () => {
    const store = open();
    expect(await store.list(shared("global"))).toEqual([]);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it("keeps insertion order, per list, and reports the new todo's index", async () => {
    const store = open();
    expect(await store.add(shared("a"), "one")).toEqual({ added: true, index: 0 });
    expect(await store.add(shared("b"), "other")).toEqual({ added: true, index: 0 });
    expect(await store.add(shared("a"), "two")).toEqual({ added: true, index: 1 });
    expect(await store.list(shared("a"))).toEqual(["one", "two"]);
    expect(await store.list(shared("b"))).toEqual(["other"]);
  });

  it("keeps the same username apart in the shared space and in each account", async () => {
    const db = openDatabase(path);
    databases.push(db);
    const auth = createSqliteAuthStore(db);
    const alice = await auth.createAccount("alice", "h");
    const bob = await auth.createAccount("bob", "h");
    const store = createSqliteTodoStore(db);
    await store.add(shared("global"), "shared");
    await store.add({ accountId: alice!.id, username: "global" }, "alice's");
    await store.add({ accountId: bob!.id, username: "global" }, "bob's");
    expect(await store.list(shared("global"))).toEqual(["shared"]);
    expect(await store.list({ accountId: alice!.id, username: "global" })).toEqual(["alice's"]);
    expect(await store.remove({ accountId: alice!.id, username: "global" }, 0)).toEqual({
      removed: true,
      todo: "alice's",
    });
    expect(await store.list({ accountId: bob!.id, username: "global" })).toEqual(["bob's"]);
  });

  it("removes by zero-based index and reports the count when the index is missing", async () => {
    const store = open();
    for (const t of ["x", "y", "z"]) await store.add(shared("u"), t);
    expect(await store.remove(shared("u"), 1)).toEqual({ removed: true, todo: "y" });
    expect(await store.list(shared("u"))).toEqual(["x", "z"]);
    expect(await store.remove(shared("u"), 2)).toEqual({ removed: false, count: 2 });
    expect(await store.remove(shared("nobody"), 0)).toEqual({ removed: false, count: 0 });
  });

  it("stops at the per-list maximum", async () => {
    const store = open({ maxTodosPerList: 2 });
    await store.add(shared("u"), "1");
    await store.add(shared("u"), "2");
    expect(await store.add(shared("u"), "3")).toEqual({ added: false, count: 2 });
    expect(await store.add(shared("v"), "1")).toEqual({ added: true, index: 0 });
  });

  it("keeps todos after the database is closed and reopened", async () => {
    const first = open();
    await first.add(shared("u"), "survives");
    databases[0]?.close();
    expect(await open().list(shared("u"))).toEqual(["survives"]);
  });

  it("shares one list between two connections to one file, losing no write", async () => {
    const a = open();
    const b = open();
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        (i % 2 === 0 ? a : b).add(shared("shared"), `todo ${i}`),
      ),
    );
    const list = await a.list(shared("shared"));
    expect(list).toHaveLength(100);
    expect(new Set(list).size).toBe(100);
  });

  it("answers 503 database_busy, not a 500, when another process holds the write lock too long", async () => {
    const holder = openDatabase(path);
    databases.push(holder);
    const waiting = openDatabase(path, { busyTimeoutMs: 50 });
    databases.push(waiting);
    holder.exec("BEGIN IMMEDIATE");
    const error = await createSqliteTodoStore(waiting)
      .add(shared("u"), "blocked")
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    holder.exec("ROLLBACK");
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).headers).toEqual({ "Retry-After": "1" });
    expect(await createSqliteTodoStore(waiting).add(shared("u"), "later")).toEqual({
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

  it("refuses a database written by a newer schema", () => {
    databases.push(openDatabase(path));
    databases[0]?.pragma("user_version = 99");
    expect(() => openDatabase(path)).toThrow(/schema is version 99, newer than this code knows/);
  });
});
