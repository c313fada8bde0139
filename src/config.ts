import { loadPluginConfig, type ConfigReader, type Env, type PluginConfig } from "plugkit";

/** Where basketball stats come from. */
export type StatsConfig =
  | { type: "embedded" }
  | {
      type: "balldontlie";
      /** `BALLDONTLIE_API_KEY` */
      apiKey: string | undefined;
      /** `BALLDONTLIE_BASE_URL` @default "https://api.balldontlie.io/v1" */
      baseUrl: string;
      /** `STATS_TIMEOUT_MS` (100-30000) @default 5000 */
      timeoutMs: number;
      /** `STATS_CACHE_TTL_SECONDS` (0-86400) @default 300 */
      cacheTtlSeconds: number;
    };

/**
 * The example plugin's configuration: plugkit's standard variables (`PORT`, `PLUGIN_AUTH`,
 * `DATABASE_URL`...) and its own, `STATS_PROVIDER` and the balldontlie settings.
 */
export interface AppConfig extends PluginConfig {
  /** `STATS_PROVIDER` and its variables. @default { type: "embedded" } */
  stats: StatsConfig;
}

/**
 * Reads and validates the configuration at startup; throws one `ConfigError` naming every
 * invalid variable, plugkit's and this plugin's alike.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  return loadPluginConfig({ env, cwd, extend: (read) => ({ stats: readStats(read) }) });
}

function readStats(read: ConfigReader): StatsConfig {
  const type = read.oneOf("STATS_PROVIDER", ["embedded", "balldontlie"], "embedded");
  if (type === "embedded") return { type };
  return {
    type,
    apiKey: read.string("BALLDONTLIE_API_KEY"),
    baseUrl: read.httpUrl("BALLDONTLIE_BASE_URL", "https://api.balldontlie.io/v1"),
    timeoutMs: read.wholeNumber("STATS_TIMEOUT_MS", 5000, { min: 100, max: 30000 }),
    cacheTtlSeconds: read.wholeNumber("STATS_CACHE_TTL_SECONDS", 300, { min: 0, max: 86400 }),
  };
}
