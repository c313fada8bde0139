import {
  CHATGPT_ORIGINS,
  CHATGPT_REDIRECT_URIS,
  ConfigError,
  MIN_SECRET_LENGTH,
  parseCorsOrigins,
  parsePublicUrl,
} from "./sdk";
import { parseDatabaseUrl, type DatabaseLocation } from "./store/open-store";

/** How callers are authenticated (`PLUGIN_AUTH` and the variables of the chosen type). */
export type AuthConfig =
  | { type: "none" }
  | {
      type: "service_http";
      /** `SERVICE_AUTH_KEY` */
      key: string;
      /** `AUTHORIZATION_TYPE` */
      authorizationType: "bearer" | "basic";
      /** `OPENAI_VERIFICATION_TOKEN` */
      verificationToken: string | undefined;
    }
  | { type: "user_http"; authorizationType: "bearer" | "basic" }
  | {
      type: "oauth";
      /** `OAUTH_CLIENT_ID` */
      clientId: string;
      /** `OAUTH_CLIENT_SECRET` */
      clientSecret: string;
      /** `OAUTH_REDIRECT_URIS` */
      redirectUris: string[];
      verificationToken: string | undefined;
      /** `OAUTH_CODE_TTL`, `OAUTH_ACCESS_TOKEN_TTL`, `OAUTH_REFRESH_TOKEN_TTL`, in seconds */
      codeTtl: number;
      accessTokenTtl: number;
      refreshTokenTtl: number;
    };

/**
 * The server's configuration, read from the environment in this one place and checked at
 * startup. Every variable is optional; the defaults serve the plugin on localhost:3333.
 */
export interface AppConfig {
  /** `PORT`: the port to listen on. @default 3333 */
  port: number;
  /** `HOST`: the address to bind. @default undefined (all interfaces, as Fly.io and Heroku need) */
  host: string | undefined;
  /** `PUBLIC_URL`: the origin written into the manifest and spec. @default undefined (taken from each request) */
  publicUrl: string | undefined;
  /** `DATABASE_URL`: where todos are stored. @default "file:./data/plugkit.db" */
  database: DatabaseLocation;
  /** `CORS_ORIGINS`: comma-separated origins allowed to call from a browser. @default "https://chat.openai.com,https://chatgpt.com" */
  corsOrigins: string[];
  /** `TRUST_FORWARDED_HEADERS`: honour X-Forwarded-Host/-Proto/-For from a proxy. @default true */
  trustForwardedHeaders: boolean;
  /** `PLUGIN_AUTH` and its variables. @default { type: "none" } */
  auth: AuthConfig;
  /** `STATS_PROVIDER` and its variables. @default { type: "embedded" } */
  stats: StatsConfig;
}

/** Where basketball stats come from. */
export type StatsConfig =
  | { type: "embedded" }
  | {
      type: "balldontlie";
      /** `BALLDONTLIE_API_KEY` */
      apiKey: string | undefined;
      /** `BALLDONTLIE_BASE_URL` */
      baseUrl: string;
      /** `STATS_TIMEOUT_MS` */
      timeoutMs: number;
      /** `STATS_CACHE_TTL_SECONDS` */
      cacheTtlSeconds: number;
    };

export const DEFAULT_PORT = 3333;
export const DEFAULT_DATABASE_URL = "file:./data/plugkit.db";

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Reads and validates the configuration. Throws one {@link ConfigError} that lists every
 * invalid variable by name.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const attempt: Attempt = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      return fallback;
    }
  };

  const port = attempt(() => {
    const raw = nonEmpty(env, "PORT");
    if (raw === undefined) return DEFAULT_PORT;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value > 65535) {
      throw new ConfigError(`PORT: ${JSON.stringify(raw)} is not a port number (0-65535)`);
    }
    return value;
  }, DEFAULT_PORT);

  const publicUrl = attempt(() => {
    const raw = nonEmpty(env, "PUBLIC_URL");
    return raw === undefined ? undefined : parsePublicUrl(raw, "PUBLIC_URL");
  }, undefined);
  const database = attempt(
    () => parseDatabaseUrl(nonEmpty(env, "DATABASE_URL") ?? DEFAULT_DATABASE_URL, cwd),
    { kind: "sqlite" as const, path: "" },
  );
  const corsOrigins = attempt(() => {
    const raw = nonEmpty(env, "CORS_ORIGINS");
    if (raw === undefined) return [...CHATGPT_ORIGINS];
    return parseCorsOrigins(commaList(raw), "CORS_ORIGINS");
  }, [...CHATGPT_ORIGINS]);

  const trustForwardedHeaders = attempt(() => {
    const raw = nonEmpty(env, "TRUST_FORWARDED_HEADERS")?.toLowerCase();
    if (raw === undefined || raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    throw new ConfigError(`TRUST_FORWARDED_HEADERS: ${JSON.stringify(raw)} must be true or false`);
  }, true);

  const auth = readAuth(env, attempt);
  const stats = readStats(env, attempt);

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return {
    port,
    host: nonEmpty(env, "HOST"),
    publicUrl,
    database,
    corsOrigins,
    trustForwardedHeaders,
    auth,
    stats,
  };
}

function readStats(env: Env, attempt: Attempt): StatsConfig {
  const type = attempt(() => {
    const raw = nonEmpty(env, "STATS_PROVIDER") ?? "embedded";
    if (raw === "embedded" || raw === "balldontlie") return raw;
    throw new ConfigError(`STATS_PROVIDER: ${JSON.stringify(raw)} must be embedded or balldontlie`);
  }, "embedded" as const);
  if (type === "embedded") return { type };
  const number = (name: string, fallback: number, min: number, max: number) =>
    attempt(() => wholeNumber(env, name, fallback, min, max, ""), fallback);
  const baseUrl = attempt(() => {
    const raw = nonEmpty(env, "BALLDONTLIE_BASE_URL") ?? "https://api.balldontlie.io/v1";
    if (!isHttpUrl(raw)) {
      throw new ConfigError(`BALLDONTLIE_BASE_URL: ${JSON.stringify(raw)} is not an http(s) URL`);
    }
    return raw;
  }, "");
  return {
    type,
    apiKey: nonEmpty(env, "BALLDONTLIE_API_KEY"),
    baseUrl,
    timeoutMs: number("STATS_TIMEOUT_MS", 5000, 100, 30000),
    cacheTtlSeconds: number("STATS_CACHE_TTL_SECONDS", 300, 0, 86400),
  };
}

/** Only the database location (`DATABASE_URL`), for tools such as the accounts CLI. */
export function loadDatabaseConfig(
  env: Env = process.env,
  cwd: string = process.cwd(),
): DatabaseLocation {
  return parseDatabaseUrl(nonEmpty(env, "DATABASE_URL") ?? DEFAULT_DATABASE_URL, cwd);
}

type Attempt = <T>(read: () => T, fallback: T) => T;

/** The non-empty, trimmed entries of a comma-separated variable. */
function commaList(raw: string): string[] {
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** A whole-number variable within bounds, or its default when unset. */
function wholeNumber(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  unit: string,
): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(
      `${name}: ${JSON.stringify(raw)} must be a whole number${unit} from ${min} to ${max}`,
    );
  }
  return value;
}

function readAuth(env: Env, attempt: Attempt): AuthConfig {
  const type = attempt(() => {
    const raw = nonEmpty(env, "PLUGIN_AUTH") ?? "none";
    if (raw === "none" || raw === "service_http" || raw === "user_http" || raw === "oauth")
      return raw;
    throw new ConfigError(
      `PLUGIN_AUTH: ${JSON.stringify(raw)} must be one of none, service_http, user_http, oauth`,
    );
  }, "none" as const);
  const authorizationType = () =>
    attempt(() => {
      const raw = (nonEmpty(env, "AUTHORIZATION_TYPE") ?? "bearer").toLowerCase();
      if (raw === "bearer" || raw === "basic") return raw;
      throw new ConfigError(`AUTHORIZATION_TYPE: ${JSON.stringify(raw)} must be bearer or basic`);
    }, "bearer" as const);
  const secret = (name: string, purpose: string) =>
    attempt(() => {
      const raw = env[name] ?? "";
      if (raw.trim() === "") {
        throw new ConfigError(
          `${name}: required when PLUGIN_AUTH=${type} (${purpose}); generate one with \`openssl rand -hex 32\``,
        );
      }
      if (raw.length < MIN_SECRET_LENGTH) {
        throw new ConfigError(
          `${name}: must be at least ${MIN_SECRET_LENGTH} characters (got ${raw.length}); generate one with \`openssl rand -hex 32\``,
        );
      }
      return raw;
    }, "");
  const seconds = (name: string, fallback: number, min: number, max: number) =>
    attempt(() => wholeNumber(env, name, fallback, min, max, " of seconds"), fallback);
  const verificationToken = nonEmpty(env, "OPENAI_VERIFICATION_TOKEN");

  switch (type) {
    case "none":
      return { type };
    case "service_http":
      return {
        type,
        key: secret("SERVICE_AUTH_KEY", "the key ChatGPT sends"),
        authorizationType: authorizationType(),
        verificationToken,
      };
    case "user_http":
      return { type, authorizationType: authorizationType() };
    case "oauth": {
      const clientId = attempt(() => {
        const raw = nonEmpty(env, "OAUTH_CLIENT_ID");
        if (raw === undefined) {
          throw new ConfigError(
            "OAUTH_CLIENT_ID: required when PLUGIN_AUTH=oauth (the client id you register in ChatGPT)",
          );
        }
        return raw;
      }, "");
      const redirectUris = attempt(() => {
        const raw = nonEmpty(env, "OAUTH_REDIRECT_URIS");
        if (raw === undefined) return [...CHATGPT_REDIRECT_URIS];
        const list = commaList(raw);
        for (const uri of list) {
          // `*` stands for one path segment; check the rest as a URL.
          if (!isHttpUrl(uri.replaceAll("*", "x"))) {
            throw new ConfigError(
              `OAUTH_REDIRECT_URIS: ${JSON.stringify(uri)} is not an http(s) URL`,
            );
          }
        }
        return list;
      }, [...CHATGPT_REDIRECT_URIS]);
      return {
        type,
        clientId,
        clientSecret: secret("OAUTH_CLIENT_SECRET", "the client secret you register in ChatGPT"),
        redirectUris,
        verificationToken,
        codeTtl: seconds("OAUTH_CODE_TTL", 300, 10, 600),
        accessTokenTtl: seconds("OAUTH_ACCESS_TOKEN_TTL", 3600, 60, 86400),
        refreshTokenTtl: seconds("OAUTH_REFRESH_TOKEN_TTL", 30 * 86400, 3600, 365 * 86400),
      };
    }
  }
}
