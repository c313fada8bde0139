import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteTodoStore } from "../../src/todos/sqlite-todo-store";
import type { TodoStore } from "../../src/todos/todo-store";

let dir: string;
let path: string;
const opened: TodoStore[] = [];
const open = (options: { maxTodosPerUser?: number } = {}): TodoStore => {
  const store = createSqliteTodoStore({ path, ...options });
  opened.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-store-"));
  path = join(dir, "nested", "todos.db");
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SQLite todo store", () => {
  it("creates the file, its directory and the schema, in WAL mode", async () => {
    const store = open();
    expect(await store.list("global")).toEqual([]);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    db.close();
  });

  it("keeps insertion order, per user, and reports the new todo's index", async () => {
    const store = open();
    expect(await store.add("a", "one")).toEqual({ added: true, index: 0 });
    expect(await store.add("b", "other")).toEqual({ added: true, index: 0 });
    expect(await store.add("a", "two")).toEqual({ added: true, index: 1 });
    expect(await store.list("a")).toEqual(["one", "two"]);
    expect(await store.list("b")).toEqual(["other"]);
  });

  it("removes by zero-based index and reports the count when the index is missing", async () => {
    const store = open();
    for (const t of ["x", "y", "z"]) await store.add("u", t);
    expect(await store.remove("u", 1)).toEqual({ removed: true, todo: "y" });
    expect(await store.list("u")).toEqual(["x", "z"]);
    expect(await store.remove("u", 2)).toEqual({ removed: false, count: 2 });
    expect(await store.remove("nobody", 0)).toEqual({ removed: false, count: 0 });
  });

  it("stops at the per-user maximum", async () => {
    const store = open({ maxTodosPerUser: 2 });
    await store.add("u", "1");
    await store.add("u", "2");
    expect(await store.add("u", "3")).toEqual({ added: false, count: 2 });
    expect(await store.add("v", "1")).toEqual({ added: true, index: 0 });
  });

  it("keeps todos after it is closed and reopened", async () => {
    const first = open();
    await first.add("u", "survives");
    await first.close();
    expect(await open().list("u")).toEqual(["survives"]);
  });

  it("shares one list between two connections to one file, losing no write", async () => {
    const a = open();
    const b = open();
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).add("shared", `todo ${i}`)),
    );
    const list = await a.list("shared");
    expect(list).toHaveLength(100);
    expect(new Set(list).size).toBe(100);
  });

  it("refuses a database written by a newer schema", () => {
    open();
    const db = new Database(path);
    db.pragma("user_version = 99");
    db.close();
    expect(() => createSqliteTodoStore({ path })).toThrow(
      /schema is version 99, newer than this code knows \(1\)/,
    );
  });
});
