import type Database from "better-sqlite3";

/**
 * A named set of schema changes for one part of a plugin (plugkit's auth tables, a plugin's
 * todo tables...), in each database's SQL. Each component's version is kept in the database's
 * `plugkit_migrations` table, so plugkit and the plugin evolve their tables independently.
 * Append steps; never edit old ones. The two lists are versioned separately: a PostgreSQL
 * list may start from the schema the SQLite steps have arrived at.
 *
 * @example
 * const NOTES_MIGRATIONS: PluginMigrations = {
 *   component: "notes",
 *   sqlite: ["CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)"],
 *   postgres: ["CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, text text NOT NULL)"],
 * };
 */
export interface PluginMigrations {
  /** A stable name; the version of each component is recorded under it. */
  component: string;
  /** SQLite scripts, applied in order; step `n` brings the component to version `n + 1`. */
  sqlite: readonly string[];
  /**
   * PostgreSQL scripts, likewise. Without them, the plugin refuses to start on a
   * `postgres://` `DATABASE_URL`, naming the component.
   */
  postgres?: readonly string[];
  /**
   * SQLite only: for a database made before the component was tracked, the version its tables
   * are already at (0 when they are absent), read from the schema.
   */
  baseline?: (schema: SchemaInspector) => number;
}

/** What a {@link PluginMigrations.baseline} can ask of an existing database. */
export interface SchemaInspector {
  hasTable(name: string): boolean;
  hasColumn(table: string, column: string): boolean;
}

/** True when the database has a table of this name. */
export function hasTable(db: Database.Database, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

function inspector(db: Database.Database): SchemaInspector {
  return {
    hasTable: (name) => hasTable(db, name),
    hasColumn: (table, column) =>
      db
        .prepare<[string], { name: string }>("SELECT name FROM pragma_table_info(?)")
        .all(table)
        .some((row) => row.name === column),
  };
}

/**
 * Brings each component to its latest version, in the order given, in one IMMEDIATE
 * transaction: processes that start together on one file take turns, and a failed step leaves
 * the schema as it was. Refuses a database that a newer version of the code has migrated.
 */
export function migrateSqlite(
  db: Database.Database,
  components: readonly PluginMigrations[],
): void {
  db.transaction(() => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS plugkit_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)",
    );
    const current = db.prepare<[string], { version: number }>(
      "SELECT version FROM plugkit_migrations WHERE component = ?",
    );
    const record = db.prepare<[string, number]>(
      "INSERT INTO plugkit_migrations (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version",
    );
    for (const { component, sqlite: steps, baseline } of components) {
      let version = current.get(component)?.version;
      if (version === undefined) {
        version = baseline?.(inspector(db)) ?? 0;
        record.run(component, version);
      }
      if (version > steps.length) {
        throw new Error(
          `The database's "${component}" schema is version ${version}, newer than this code knows (${steps.length}); upgrade the plugin.`,
        );
      }
      for (const [index, step] of steps.entries()) {
        if (index < version) continue;
        db.exec(step);
        record.run(component, index + 1);
      }
    }
  }).immediate();
}
