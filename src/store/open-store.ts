import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../sdk";
import type Database from "better-sqlite3";
import type { AuthStore } from "../sdk";
import { openDatabase } from "./database";
import { createSqliteAuthStore } from "./sqlite-auth-store";
import { createSqliteTodoStore } from "./sqlite-todo-store";
import type { TodoStore } from "./todo-store";

/** The database a `DATABASE_URL` names. */
export type DatabaseLocation = { kind: "sqlite"; path: string };

/**
 * Parses `DATABASE_URL`: `file:./data/plugkit.db` (relative to `cwd`), `file:/abs/path.db`,
 * `file:///abs/path.db` or `file::memory:`. Throws a {@link ConfigError} for anything else.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "postgres" || scheme === "postgresql") {
    throw new ConfigError(
      "DATABASE_URL: PostgreSQL is not supported yet; use a SQLite file such as file:./data/plugkit.db",
    );
  }
  if (scheme !== "file") {
    throw new ConfigError(
      `DATABASE_URL: ${JSON.stringify(url)} is not supported; use a SQLite file URL such as file:./data/plugkit.db`,
    );
  }
  let rest = url.slice("file:".length).replace(/[?#].*$/, "");
  if (rest === ":memory:") return { kind: "sqlite", path: ":memory:" };
  if (rest.startsWith("//")) {
    // file:///abs/path: an empty host, then an absolute path.
    rest = rest.slice(2);
    if (!rest.startsWith("/")) {
      throw new ConfigError(
        `DATABASE_URL: ${JSON.stringify(url)} names a host; write file:///absolute/path.db or file:./relative.db`,
      );
    }
  }
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    throw new ConfigError(`DATABASE_URL: ${JSON.stringify(url)} has invalid percent-encoding`);
  }
  if (path === "")
    throw new ConfigError(
      "DATABASE_URL: the file path is empty; write e.g. file:./data/plugkit.db",
    );
  return { kind: "sqlite", path: isAbsolute(path) ? path : resolve(cwd, path) };
}

/** The plugin's stores, on one database: todos and auth state live together. */
export interface Stores {
  todos: TodoStore;
  auth: AuthStore;
  /** The database itself, for the embedded stats dataset. */
  db: Database.Database;
  /** Closes the database. */
  close(): Promise<void>;
}

/** Opens the database a location names, creating or migrating its schema. */
export function openStores(location: DatabaseLocation): Stores {
  const db = openDatabase(location.path);
  return {
    db,
    todos: createSqliteTodoStore(db),
    auth: createSqliteAuthStore(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
