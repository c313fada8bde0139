import { join } from "node:path";
import Database from "better-sqlite3";
import type { PluginDatabase, PluginMigrations } from "plugkit";
import type { AppConfig, StatsConfig } from "./config";
import { createBalldontlieProvider } from "./stats/balldontlie-provider";
import { createEmbeddedStatsProvider } from "./stats/embedded-provider";
import type { StatsProvider } from "./stats/stats-provider";
import { STATS_SCHEMA, TODO_MIGRATIONS } from "./store/migrations";
import { createPostgresTodoStore } from "./store/postgres-todo-store";
import { createSqliteTodoStore } from "./store/sqlite-todo-store";
import type { TodoStore } from "./store/todo-store";

/** This plugin's tables, migrated at start-up after plugkit's own (accounts, tokens). */
export const MIGRATIONS: readonly PluginMigrations[] = [TODO_MIGRATIONS];

/** What every controller is constructed with: `constructor(private readonly services: AppServices)`. */
export interface AppServices {
  todos: TodoStore;
  stats: StatsProvider;
}

/** Builds the services on the plugin's database (opened with {@link MIGRATIONS}). */
export function createServices(database: PluginDatabase, config: AppConfig): AppServices {
  return {
    todos:
      database.kind === "sqlite"
        ? createSqliteTodoStore(database.sqlite)
        : createPostgresTodoStore(database.postgres),
    stats: createStatsProvider(config.stats),
  };
}

/** The embedded stats dataset (see scripts/generate-stats-dataset.ts), from src/ and dist/src/. */
export const STATS_DATASET = join(
  __dirname,
  __dirname.endsWith(join("dist", "src")) ? "../.." : "..",
  "assets",
  "stats",
  "synthetic-nba-2023.json.gz",
);

/**
 * A read-only home for the embedded dataset: an in-memory SQLite database of this process,
 * whatever `DATABASE_URL` says (it is loaded on the first stats question).
 */
export function openStatsDatabase(): Database.Database {
  const db = new Database(":memory:");
  db.exec(STATS_SCHEMA);
  return db;
}

/** The stats provider the configuration asks for. */
export function createStatsProvider(
  config: StatsConfig,
  options: { fetch?: typeof fetch } = {},
): StatsProvider {
  if (config.type === "embedded") {
    return createEmbeddedStatsProvider(openStatsDatabase(), STATS_DATASET);
  }
  return createBalldontlieProvider({
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    cacheTtlMs: config.cacheTtlSeconds * 1000,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
