import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Express } from "express";
import { RegisterRoutes } from "../generated/routes";
import {
  createPluginApp,
  loadGeneratedFiles,
  noAuth,
  oauthAuth,
  serviceHttpAuth,
  systemClock,
  userHttpAuth,
  type AuthStore,
  type Clock,
  type ErrorLogger,
  type PluginAuth,
} from "./sdk";
import type { AppConfig, AuthConfig, StatsConfig } from "./config";
import { LIVE_STATS_DESCRIPTIONS } from "./manifest/plugin-manifest";
import type { AppServices } from "./services";
import { createBalldontlieProvider } from "./stats/balldontlie-provider";
import { createEmbeddedStatsProvider } from "./stats/embedded-provider";
import type { StatsProvider } from "./stats/stats-provider";
import { openStores, type Stores } from "./store/open-store";

/** The project root: generated/ and assets/ are found from here, in src/ and in dist/src/ alike. */
const ROOT = join(__dirname, basename(dirname(__dirname)) === "dist" ? "../.." : "..");

/** Told to the model (in the served spec) when callers sign in. */
export const ACCOUNT_NOTE =
  "Callers are signed in: each account has its own todo lists, username names a list within the signed-in account, and other accounts' lists can never be read or changed.";

/** The embedded stats dataset (see scripts/generate-stats-dataset.ts). */
export const STATS_DATASET = join(ROOT, "assets", "stats", "synthetic-nba-2023.json.gz");

/** The stats provider the configuration asks for. */
export function createStatsProvider(
  config: StatsConfig,
  stores: Stores,
  options: { fetch?: typeof fetch } = {},
): StatsProvider {
  if (config.type === "embedded") return createEmbeddedStatsProvider(stores.db, STATS_DATASET);
  return createBalldontlieProvider({
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    cacheTtlMs: config.cacheTtlSeconds * 1000,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/** A running app and what it holds open. */
export interface App {
  app: Express;
  stores: Stores;
  /** Releases the database. */
  close(): Promise<void>;
}

/** Options for {@link createApp} that tests and tools inject. */
export interface CreateAppOptions {
  logger?: ErrorLogger;
  /** The clock that decides when OAuth codes and tokens expire. */
  clock?: Clock;
}

/** The auth type the configuration asks for, on the app's auth store. */
export function createAuth(
  config: AuthConfig,
  store: AuthStore,
  options: {
    pluginName: string;
    trustForwardedHeaders: boolean;
    publicUrl: string | undefined;
    clock: Clock;
  },
): PluginAuth {
  switch (config.type) {
    case "none":
      return noAuth();
    case "service_http":
      return serviceHttpAuth(config);
    case "user_http":
      return userHttpAuth({
        store,
        authorizationType: config.authorizationType,
        clock: options.clock,
      });
    case "oauth":
      return oauthAuth({
        store,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        redirectUris: config.redirectUris,
        verificationToken: config.verificationToken,
        pluginName: options.pluginName,
        consentText: `ChatGPT is asking to use ${options.pluginName} on your behalf: it will be able to read and change your todos.`,
        codeLifetimeSeconds: config.codeTtl,
        accessTokenLifetimeSeconds: config.accessTokenTtl,
        refreshTokenLifetimeSeconds: config.refreshTokenTtl,
        trustForwardedHeaders: options.trustForwardedHeaders,
        publicUrl: options.publicUrl,
        clock: options.clock,
      });
  }
}

/**
 * The composition root: opens the database, loads the generated manifest and spec, sets up the
 * configured auth type, and builds the plugin app. It does not listen (see server.ts).
 */
export function createApp(config: AppConfig, options: CreateAppOptions = {}): App {
  const { manifest, spec } = loadGeneratedFiles(join(ROOT, "generated"));
  const logo = readFileSync(join(ROOT, "assets", "logo.png"));
  const stores = openStores(config.database);
  try {
    const pluginName = (manifest as { name_for_human?: string }).name_for_human ?? "this plugin";
    const auth = createAuth(config.auth, stores.auth, {
      pluginName,
      trustForwardedHeaders: config.trustForwardedHeaders,
      publicUrl: config.publicUrl,
      clock: options.clock ?? systemClock,
    });
    const services: AppServices = {
      todos: stores.todos,
      stats: createStatsProvider(config.stats, stores),
    };
    const app = createPluginApp({
      registerRoutes: RegisterRoutes,
      manifest,
      spec,
      logo,
      services,
      auth,
      accountNote: ACCOUNT_NOTE,
      ...(config.stats.type === "balldontlie" ? { descriptions: LIVE_STATS_DESCRIPTIONS } : {}),
      publicUrl: config.publicUrl,
      corsOrigins: config.corsOrigins,
      trustForwardedHeaders: config.trustForwardedHeaders,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    return { app, stores, close: () => stores.close() };
  } catch (error) {
    void stores.close();
    throw error;
  }
}
