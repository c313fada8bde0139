import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAccountService, type PluginDatabase } from "plugkit";
import { MIGRATIONS, createServices } from "../../src/services";
import { loadConfig } from "../../src/config";
import { TODO_MIGRATIONS } from "../../src/store/migrations";
import { createPostgresTodoStore } from "../../src/store/postgres-todo-store";
import { createSqliteTodoStore } from "../../src/store/sqlite-todo-store";
import type { TodoListRef, TodoStore } from "../../src/store/todo-store";
import { STORE_BACKENDS } from "../helpers/store-backends";

const shared = (username: string): TodoListRef => ({ accountId: null, username });

// The same behaviour on every database the plugin runs on.
describe.each(STORE_BACKENDS)("the todo store on $name", (backend) => {
  const openDatabase = () => backend.open([TODO_MIGRATIONS]);
  const storeOn = (database: PluginDatabase, options: { maxTodosPerList?: number } = {}) =>
    database.kind === "sqlite"
      ? createSqliteTodoStore(database.sqlite, options)
      : createPostgresTodoStore(database.postgres, options);
  const open = async (options: { maxTodosPerList?: number } = {}): Promise<TodoStore> =>
    storeOn(await openDatabase(), options);

  beforeEach(async () => {
    await backend.setUp();
  });
  afterEach(async () => {
    await backend.tearDown();
  });

  it("is the store the app builds on this database", async () => {
    // Opened as the app opens it: with every table the app's services use.
    const database = await backend.open(MIGRATIONS);
    const { todos } = createServices(database, loadConfig({}));
    await todos.add(shared("u"), "through the app's services");
    expect(await storeOn(database).list(shared("u"))).toEqual(["through the app's services"]);
  });

  it("keeps insertion order, per list, and reports the new todo's index", async () => {
    const store = await open();
    expect(await store.add(shared("a"), "one")).toEqual({ added: true, index: 0 });
    expect(await store.add(shared("b"), "other")).toEqual({ added: true, index: 0 });
    expect(await store.add(shared("a"), "two")).toEqual({ added: true, index: 1 });
    expect(await store.list(shared("a"))).toEqual(["one", "two"]);
    expect(await store.list(shared("b"))).toEqual(["other"]);
    expect(await store.list(shared("nobody"))).toEqual([]);
  });

  it("keeps the same username apart in the shared space and in each account", async () => {
    const database = await openDatabase();
    const accounts = createAccountService(database.auth);
    const alice = await accounts.create("alice", "alice-password");
    const bob = await accounts.create("bob", "bob-password");
    const store = storeOn(database);
    await store.add(shared("global"), "shared");
    await store.add({ accountId: alice.id, username: "global" }, "alice's");
    await store.add({ accountId: bob.id, username: "global" }, "bob's");
    expect(await store.list(shared("global"))).toEqual(["shared"]);
    expect(await store.list({ accountId: alice.id, username: "global" })).toEqual(["alice's"]);
    expect(await store.remove({ accountId: alice.id, username: "global" }, 0)).toEqual({
      removed: true,
      todo: "alice's",
    });
    expect(await store.list({ accountId: bob.id, username: "global" })).toEqual(["bob's"]);
    // Deleting an account deletes its lists, and nobody else's.
    await accounts.remove("bob");
    expect(await store.list({ accountId: bob.id, username: "global" })).toEqual([]);
    expect(await store.list(shared("global"))).toEqual(["shared"]);
  });

  it("keeps text exactly: quotes, emoji, lone combining marks, 300 code points", async () => {
    const store = await open();
    const texts = [
      'it\'s "quoted" -- ; DROP TABLE todos',
      "🦄 unicorn",
      "e\u0301",
      "𝒳".repeat(300),
    ];
    for (const text of texts) await store.add(shared("u"), text);
    expect(await store.list(shared("u"))).toEqual(texts);
  });

  it("removes by zero-based index and reports the count when the index is missing", async () => {
    const store = await open();
    for (const t of ["x", "y", "z"]) await store.add(shared("u"), t);
    expect(await store.remove(shared("u"), 1)).toEqual({ removed: true, todo: "y" });
    expect(await store.list(shared("u"))).toEqual(["x", "z"]);
    expect(await store.remove(shared("u"), 2)).toEqual({ removed: false, count: 2 });
    expect(await store.remove(shared("nobody"), 0)).toEqual({ removed: false, count: 0 });
  });

  it("stops at the per-list maximum", async () => {
    const store = await open({ maxTodosPerList: 2 });
    await store.add(shared("u"), "1");
    await store.add(shared("u"), "2");
    expect(await store.add(shared("u"), "3")).toEqual({ added: false, count: 2 });
    expect(await store.add(shared("v"), "1")).toEqual({ added: true, index: 0 });
  });

  it("holds the 100-todo cap when 150 adds race over two connections", async () => {
    const a = await open();
    const b = await open();
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => (i % 2 === 0 ? a : b).add(shared("race"), `todo ${i}`)),
    );
    const list = await a.list(shared("race"));
    expect(list).toHaveLength(100);
    expect(new Set(list).size).toBe(100);
    expect(results.filter((r) => r.added)).toHaveLength(100);
    // Every accepted add reported a distinct index, and the refusals saw a full list.
    const indexes = results.flatMap((r) => (r.added ? [r.index] : []));
    expect(new Set(indexes).size).toBe(100);
    expect(results.flatMap((r) => (r.added ? [] : [r.count]))).toEqual(Array(50).fill(100));
  });

  it("removes each todo once when removals race over two connections", async () => {
    const a = await open();
    const b = await open();
    for (let i = 0; i < 20; i++) await a.add(shared("u"), `todo ${i}`);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).remove(shared("u"), 0)),
    );
    const removed = results.flatMap((r) => (r.removed ? [r.todo] : []));
    expect(removed).toHaveLength(20);
    expect(new Set(removed).size).toBe(20);
    expect(await a.list(shared("u"))).toEqual([]);
  });

  it("keeps todos after every connection is closed and the database reopened", async () => {
    const first = await openDatabase();
    await storeOn(first).add(shared("u"), "survives");
    await first.close();
    expect(await (await open()).list(shared("u"))).toEqual(["survives"]);
  });
});
