import type pg from "pg";
import { ConfigError } from "../../errors";
import type { PluginMigrations } from "../sqlite-migrations";

// One key for every plugkit database: instances that start together take turns.
const MIGRATION_LOCK_KEY = 0x706c_756b; // "pluk"

/** Refuses, before connecting, a component that has no PostgreSQL steps. */
export function checkPostgresMigrations(components: readonly PluginMigrations[]): void {
  const missing = components.filter((c) => c.postgres === undefined).map((c) => c.component);
  if (missing.length > 0) {
    throw new ConfigError(
      `DATABASE_URL is PostgreSQL, but ${missing.map((m) => `"${m}"`).join(", ")} ${missing.length === 1 ? "has" : "have"} no PostgreSQL migrations: add a \`postgres\` list of steps beside \`sqlite\``,
    );
  }
}

/**
 * Brings each component to its latest PostgreSQL version, in order, in one transaction that
 * holds an advisory lock: instances that start at once take turns, and a failed step leaves the
 * schema as it was (PostgreSQL's DDL is transactional). Refuses a database that a newer version
 * of the code has migrated.
 */
export async function migratePostgres(
  pool: pg.Pool,
  components: readonly PluginMigrations[],
): Promise<void> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: Error): void => {
    failed = error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS plugkit_migrations (component text PRIMARY KEY, version integer NOT NULL)",
    );
    for (const { component, postgres: steps = [] } of components) {
      const current = await client.query<{ version: number }>(
        "SELECT version FROM plugkit_migrations WHERE component = $1",
        [component],
      );
      const version = current.rows[0]?.version ?? 0;
      if (version > steps.length) {
        throw new ConfigError(
          `The database's "${component}" schema is version ${version}, newer than this code knows (${steps.length}); upgrade the plugin.`,
        );
      }
      for (const [index, step] of steps.entries()) {
        if (index < version) continue;
        await client.query(step);
        await client.query(
          `INSERT INTO plugkit_migrations (component, version) VALUES ($1, $2)
           ON CONFLICT (component) DO UPDATE SET version = excluded.version`,
          [component, index + 1],
        );
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      failed = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off("error", onError);
    client.release(failed);
  }
}
