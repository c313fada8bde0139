import type { PostgresDatabase, PostgresQueryable } from "plugkit";
import {
  TODO_LIMITS,
  type AddResult,
  type RemoveResult,
  type TodoListRef,
  type TodoStore,
} from "./todo-store";

/** Options for {@link createPostgresTodoStore}. */
export interface PostgresTodoStoreOptions {
  /** Most todos one list can hold. @default TODO_LIMITS.maxTodosPerList */
  maxTodosPerList?: number;
}

/** The WHERE clause that selects one list; shared lists have no account. */
function listCondition({ accountId, username }: TodoListRef): { sql: string; values: unknown[] } {
  return accountId === null
    ? { sql: "account_id IS NULL AND username = $1", values: [username] }
    : { sql: "account_id = $1 AND username = $2", values: [accountId, username] };
}

/**
 * A {@link TodoStore} on PostgreSQL, shared by every instance on the database. A write takes
 * an advisory lock on its list for the length of its transaction, so concurrent writers to one
 * list, on any instance, take turns: the cap holds and an index names the todo the caller saw.
 */
export function createPostgresTodoStore(
  db: PostgresDatabase,
  options: PostgresTodoStoreOptions = {},
): TodoStore {
  const { maxTodosPerList = TODO_LIMITS.maxTodosPerList } = options;
  const lockList = (tx: PostgresQueryable, list: TodoListRef) =>
    tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `todos:${list.accountId ?? ""}:${list.username}`,
    ]);
  const count = async (tx: PostgresQueryable, list: TodoListRef): Promise<number> => {
    const where = listCondition(list);
    const result = await tx.query<{ count: number }>(
      `SELECT count(*) AS count FROM todos WHERE ${where.sql}`,
      where.values,
    );
    return result.rows[0]?.count ?? 0;
  };

  return {
    list: async (list) => {
      const where = listCondition(list);
      const result = await db.query<{ text: string }>(
        `SELECT text FROM todos WHERE ${where.sql} ORDER BY id`,
        where.values,
      );
      return result.rows.map((row) => row.text);
    },
    add: (list, todo) =>
      db.transaction(async (tx): Promise<AddResult> => {
        await lockList(tx, list);
        const existing = await count(tx, list);
        if (existing >= maxTodosPerList) return { added: false, count: existing };
        await tx.query("INSERT INTO todos (account_id, username, text) VALUES ($1, $2, $3)", [
          list.accountId,
          list.username,
          todo,
        ]);
        return { added: true, index: existing };
      }),
    remove: (list, index) =>
      db.transaction(async (tx): Promise<RemoveResult> => {
        await lockList(tx, list);
        const where = listCondition(list);
        const deleted = await tx.query<{ text: string }>(
          `DELETE FROM todos WHERE id = (
             SELECT id FROM todos WHERE ${where.sql} ORDER BY id LIMIT 1 OFFSET $${where.values.length + 1}
           ) RETURNING text`,
          [...where.values, index],
        );
        const removed = deleted.rows[0];
        if (removed !== undefined) return { removed: true, todo: removed.text };
        return { removed: false, count: await count(tx, list) };
      }),
  };
}
