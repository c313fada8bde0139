import { join } from "node:path";
import { createPluginApp, type Clock, type ErrorLogger, type RunnablePlugin } from "plugkit";
import { RegisterRoutes } from "../generated/routes";
import type { AppConfig, StatsConfig } from "./config";
import { LIVE_STATS_DESCRIPTIONS, pluginManifest } from "./manifest/plugin-manifest";
import type { AppServices } from "./services";
import { createBalldontlieProvider } from "./stats/balldontlie-provider";
import { createEmbeddedStatsProvider } from "./stats/embedded-provider";
import type { StatsProvider } from "./stats/stats-provider";
import { openStores, type Stores } from "./store/open-store";

/** The project directory (generated/ and assets/ are found from it), from src/ and dist/src/ alike. */
export const PROJECT_ROOT = join(
  __dirname,
  __dirname.endsWith(join("dist", "src")) ? "../.." : "..",
);

/** Told to the model (in the served spec) when callers sign in. */
export const ACCOUNT_NOTE =
  "Callers are signed in: each account has its own todo lists, username names a list within the signed-in account, and other accounts' lists can never be read or changed.";

/** The embedded stats dataset (see scripts/generate-stats-dataset.ts). */
export const STATS_DATASET = join(PROJECT_ROOT, "assets", "stats", "synthetic-nba-2023.json.gz");

/** The stats provider the configuration asks for. */
export function createStatsProvider(
  config: StatsConfig,
  stores: Stores,
  options: { fetch?: typeof fetch } = {},
): StatsProvider {
  if (config.type === "embedded") {
    return createEmbeddedStatsProvider(stores.database.sqlite, STATS_DATASET);
  }
  return createBalldontlieProvider({
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    cacheTtlMs: config.cacheTtlSeconds * 1000,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/** A running app and what it holds open. */
export interface App extends RunnablePlugin {
  config: AppConfig;
  stores: Stores;
  close(): Promise<void>;
}

/** Options for {@link createApp} that tests and tools inject. */
export interface CreateAppOptions {
  logger?: ErrorLogger;
  /** The clock that decides when OAuth codes and tokens expire. */
  clock?: Clock;
}

/**
 * The composition root: opens the database, builds the stores and the stats provider, and
 * hands them to plugkit with the configuration. It does not listen (see server.ts).
 */
export function createApp(config: AppConfig, options: CreateAppOptions = {}): App {
  const stores = openStores(config.database);
  try {
    const services: AppServices = {
      todos: stores.todos,
      stats: createStatsProvider(config.stats, stores),
    };
    const app = createPluginApp({
      root: __dirname,
      registerRoutes: RegisterRoutes,
      config,
      database: stores.database,
      services,
      accountNote: ACCOUNT_NOTE,
      consentText: `ChatGPT is asking to use ${pluginManifest.name_for_human} on your behalf: it will be able to read and change your todos.`,
      ...(config.stats.type === "balldontlie" ? { descriptions: LIVE_STATS_DESCRIPTIONS } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return { app, config, stores, name: "TODO plugin", close: () => stores.close() };
  } catch (error) {
    void stores.close();
    throw error;
  }
}
