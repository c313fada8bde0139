import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  loadPluginConfig,
  openPluginDatabase,
  type PluginDatabase,
  type PluginMigrations,
} from "plugkit";
import { POSTGRES_URL, createTestPostgres, type TestPostgres } from "./databases";

/**
 * A kind of database the store tests run on: SQLite always, PostgreSQL when one answers.
 * `open` opens another connection (a pool, for PostgreSQL) to the same database, as another
 * server process would.
 */
export interface StoreBackend {
  name: "SQLite" | "PostgreSQL";
  /** Prepares a new, empty database. */
  setUp(): Promise<void>;
  open(migrations: readonly PluginMigrations[]): Promise<PluginDatabase>;
  /** Closes every connection and deletes the database. */
  tearDown(): Promise<void>;
}

function sqliteBackend(): StoreBackend {
  let dir = "";
  const open: PluginDatabase[] = [];
  return {
    name: "SQLite",
    setUp: async () => {
      dir = mkdtempSync(join(tmpdir(), "plugkit-store-"));
    },
    open: async (migrations) => {
      const database = openPluginDatabase(
        { kind: "sqlite", path: join(dir, "plugkit.db") },
        { migrations },
      );
      open.push(database);
      return database;
    },
    tearDown: async () => {
      for (const database of open.splice(0)) await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): StoreBackend {
  let server: TestPostgres | undefined;
  const open: PluginDatabase[] = [];
  return {
    name: "PostgreSQL",
    setUp: async () => {
      server = await createTestPostgres();
    },
    open: async (migrations) => {
      const { database: location } = loadPluginConfig({ env: { DATABASE_URL: server?.url ?? "" } });
      const database = openPluginDatabase(location, { migrations, retry: false });
      open.push(database);
      await database.ready();
      return database;
    },
    tearDown: async () => {
      for (const database of open.splice(0)) await database.close();
      await server?.drop();
    },
  };
}

/** The databases to run a store suite on; PostgreSQL's is skipped (said once, at start) without one. */
export const STORE_BACKENDS: StoreBackend[] = [
  sqliteBackend(),
  ...(POSTGRES_URL === null ? [] : [postgresBackend()]),
];
