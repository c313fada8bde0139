import type Database from "better-sqlite3";
import { createGroupCommit } from "./group-commit";
import { TODO_LIMITS, type AddResult, type RemoveResult, type TodoStore } from "./todo-store";

/** Options for {@link createSqliteTodoStore}. */
export interface SqliteTodoStoreOptions {
  /** Most todos one list can hold. @default TODO_LIMITS.maxTodosPerList */
  maxTodosPerList?: number;
}

/**
 * A {@link TodoStore} on a database opened with `openDatabase`. Writes run in IMMEDIATE
 * transactions, so concurrent writers, in this process or others sharing the file, are
 * serialised and none is lost; the writes of one turn of the event loop share one transaction
 * and one commit, each in its own savepoint, and are answered once it is on disk.
 *
 * @example
 * const todos = createSqliteTodoStore(openDatabase("data/plugkit.db"));
 */
export function createSqliteTodoStore(
  db: Database.Database,
  options: SqliteTodoStoreOptions = {},
): TodoStore {
  const { maxTodosPerList = TODO_LIMITS.maxTodosPerList } = options;
  // `IS` compares NULL account ids as equal: the shared lists of callers who are not signed in.
  // Plucked: the texts themselves, not a row object each.
  const listTexts = db
    .prepare<[number | null, string], string>(
      "SELECT text FROM todos WHERE account_id IS ? AND username = ? ORDER BY id",
    )
    .pluck();
  const countTodos = db.prepare<[number | null, string], { count: number }>(
    "SELECT count(*) AS count FROM todos WHERE account_id IS ? AND username = ?",
  );
  const insertTodo = db.prepare<[number | null, string, string]>(
    "INSERT INTO todos (account_id, username, text) VALUES (?, ?, ?)",
  );
  const todoAt = db.prepare<[number | null, string, number], { id: number; text: string }>(
    "SELECT id, text FROM todos WHERE account_id IS ? AND username = ? ORDER BY id LIMIT 1 OFFSET ?",
  );
  const deleteTodo = db.prepare<[number]>("DELETE FROM todos WHERE id = ?");

  const add = db.transaction(
    (accountId: number | null, username: string, todo: string): AddResult => {
      const count = countTodos.get(accountId, username)?.count ?? 0;
      if (count >= maxTodosPerList) return { added: false, count };
      insertTodo.run(accountId, username, todo);
      return { added: true, index: count };
    },
  );
  const remove = db.transaction(
    (accountId: number | null, username: string, index: number): RemoveResult => {
      const row = todoAt.get(accountId, username, index);
      if (row === undefined)
        return { removed: false, count: countTodos.get(accountId, username)?.count ?? 0 };
      deleteTodo.run(row.id);
      return { removed: true, todo: row.text };
    },
  );

  // Writes of one turn of the event loop share a commit (see group-commit.ts).
  const group = createGroupCommit(db);

  return {
    list: async ({ accountId, username }) => listTexts.all(accountId, username),
    // A write that waits out the busy timeout throws SQLITE_BUSY, which plugkit answers with a
    // 503 the client can retry.
    add: ({ accountId, username }, todo) => group.write(() => add(accountId, username, todo)),
    remove: ({ accountId, username }, index) =>
      group.write(() => remove(accountId, username, index)),
  };
}
