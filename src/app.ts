import {
  closePluginApp,
  createLogger,
  createPluginApp,
  openPluginDatabase,
  type Clock,
  type Logger,
  type PluginDatabase,
  type RunnablePlugin,
} from "plugkit";
import { RegisterRoutes } from "../generated/routes";
import type { AppConfig } from "./config";
import { LIVE_STATS_DESCRIPTIONS, pluginManifest } from "./manifest/plugin-manifest";
import { MIGRATIONS, createServices, type AppServices } from "./services";

/** Told to the model (in the served spec) when callers sign in. */
export const ACCOUNT_NOTE =
  "Callers are signed in: each account has its own todo lists, username names a list within the signed-in account, and other accounts' lists can never be read or changed.";

/** A built app and what it holds open. */
export interface App extends RunnablePlugin {
  config: AppConfig;
  database: PluginDatabase;
  services: AppServices;
  close(): Promise<void>;
}

/** Options for {@link createApp} that tests and tools inject. */
export interface CreateAppOptions {
  /** Where the app logs. @default JSON lines on standard output, at `LOG_LEVEL` */
  logger?: Logger;
  /** The clock that decides when OAuth codes and tokens expire. */
  clock?: Clock;
}

/**
 * The composition root: opens the database (plugkit's tables and this plugin's), builds the
 * services, and hands them to plugkit with the configuration. It does not listen (server.ts).
 */
export function createApp(config: AppConfig, options: CreateAppOptions = {}): App {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database = openPluginDatabase(config.database, { migrations: MIGRATIONS, logger });
  try {
    const services = createServices(database, config);
    const app = createPluginApp({
      root: __dirname,
      registerRoutes: RegisterRoutes,
      config,
      database,
      services,
      accountNote: ACCOUNT_NOTE,
      consentText: `ChatGPT is asking to use ${pluginManifest.name_for_human} on your behalf: it will be able to read and change your todos.`,
      ...(config.stats.type === "balldontlie" ? { descriptions: LIVE_STATS_DESCRIPTIONS } : {}),
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const close = async (): Promise<void> => {
      await closePluginApp(app);
      await database.close();
    };
    return { app, config, database, services, name: "TODO plugin", close };
  } catch (error) {
    void database.close();
    throw error;
  }
}
