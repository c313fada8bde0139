import { openPluginDatabase, type DatabaseLocation, type PluginDatabase } from "plugkit";
import { STATS_MIGRATIONS, TODO_MIGRATIONS } from "./migrations";
import { createSqliteTodoStore } from "./sqlite-todo-store";
import type { TodoStore } from "./todo-store";

/** The plugin's database and the stores on it: plugkit's auth state, todos and stats. */
export interface Stores {
  database: PluginDatabase;
  todos: TodoStore;
  /** Closes the database. */
  close(): Promise<void>;
}

/** Opens the database a location names, creating or migrating its schema. */
export function openStores(location: DatabaseLocation): Stores {
  const database = openPluginDatabase(location, {
    migrations: [TODO_MIGRATIONS, STATS_MIGRATIONS],
  });
  return {
    database,
    todos: createSqliteTodoStore(database.sqlite),
    close: () => database.close(),
  };
}
