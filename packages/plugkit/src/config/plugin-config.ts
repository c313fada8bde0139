import { isAbsolute, resolve } from "node:path";
import { MIN_SECRET_LENGTH } from "../auth/secrets";
import { ConfigError } from "../errors";
import type { HttpAuthorizationType } from "../manifest/manifest-types";
import { CHATGPT_ORIGINS, parseCorsOrigins } from "../server/cors";
import { parsePublicUrl } from "../server/public-origin";
import type { ApiRateLimitConfig } from "../limits/api-rate-limit";
import type { RedisConfig } from "../limits/redis-connection";
import { LOG_LEVELS, type LogLevel } from "../logging/logger";
import { ConfigReader, isHttpUrl, type Env } from "./config-reader";
import { parsePostgresUrl, type PostgresLocation } from "./postgres-url";

/** How callers are authenticated: `PLUGIN_AUTH` and the variables of the chosen type. */
export type AuthConfig =
  | { type: "none" }
  | {
      type: "service_http";
      /** `SERVICE_AUTH_KEY`: the key ChatGPT sends; at least 32 characters. */
      key: string;
      /** `AUTHORIZATION_TYPE`. @default "bearer" */
      authorizationType: HttpAuthorizationType;
      /** `OPENAI_VERIFICATION_TOKEN`: the token ChatGPT issues at registration. */
      verificationToken: string | undefined;
    }
  | {
      type: "user_http";
      /** `AUTHORIZATION_TYPE`. @default "bearer" */
      authorizationType: HttpAuthorizationType;
    }
  | {
      type: "oauth";
      /** `OAUTH_CLIENT_ID`: the client id you register in ChatGPT; unset: MCP clients only. */
      clientId: string | undefined;
      /** `OAUTH_CLIENT_SECRET`: that client's secret; at least 32 characters. */
      clientSecret: string | undefined;
      /** `OAUTH_REDIRECT_URIS`: that client's redirect URIs, matched exactly. @default none */
      redirectUris: string[];
      /** `OAUTH_REDIRECT_URI_WILDCARDS`: let `*` match one path segment. @default false */
      allowRedirectWildcards: boolean;
      /** `OAUTH_DYNAMIC_REGISTRATION`: RFC 7591 registration for MCP clients. @default true */
      dynamicRegistration: boolean;
      /** `OPENAI_VERIFICATION_TOKEN` */
      verificationToken: string | undefined;
      /** `OAUTH_CODE_TTL` in seconds (10-600). @default 300 */
      codeTtl: number;
      /** `OAUTH_ACCESS_TOKEN_TTL` in seconds (60-86400). @default 3600 */
      accessTokenTtl: number;
      /** `OAUTH_REFRESH_TOKEN_TTL` in seconds (3600-31536000). @default 2592000 (30 days) */
      refreshTokenTtl: number;
    };

/** Where the plugin's data lives (`DATABASE_URL`): a SQLite file or a PostgreSQL server. */
export type DatabaseLocation = SqliteLocation | PostgresLocation;

/** A SQLite `DATABASE_URL` (`file:...`), parsed. */
export interface SqliteLocation {
  kind: "sqlite";
  /** The absolute path of the file, or `:memory:`. */
  path: string;
}

/**
 * The settings every plugkit plugin reads from its environment. Every variable is optional;
 * the defaults serve the plugin on localhost:3333 without auth, on a SQLite file.
 */
export interface PluginConfig {
  /** `PORT`: the port to listen on (0 picks a free one). @default 3333 */
  port: number;
  /** `HOST`: the address to bind. @default undefined (all interfaces, as Fly.io and Heroku need) */
  host: string | undefined;
  /** `PUBLIC_URL`: the origin written into the manifest and spec. @default undefined (taken from each request) */
  publicUrl: string | undefined;
  /**
   * `DATABASE_URL`: where todos, accounts and tokens are stored: a SQLite file or a
   * `postgres://` server (with `DATABASE_POOL_SIZE`). @default "file:./data/plugkit.db"
   */
  database: DatabaseLocation;
  /** `CORS_ORIGINS`: comma-separated origins allowed to call from a browser. @default "https://chat.openai.com,https://chatgpt.com" */
  corsOrigins: string[];
  /**
   * `TRUSTED_PROXY_HOPS`: how many proxies in front of the server add `X-Forwarded-*` headers
   * (Heroku and Fly.io: 1). Only then are those headers believed. @default 0
   */
  trustedProxyHops: number;
  /** `PLUGIN_AUTH` and its variables. @default { type: "none" } */
  auth: AuthConfig;
  /** `LOG_LEVEL`: the lowest level logged: debug, info, warn, error or silent. @default "info" */
  logLevel: LogLevel;
  /**
   * `REDIS_URL` (with `REDIS_TLS_VERIFY` and `REDIS_KEY_PREFIX`): where the sign-in and
   * registration throttles and the API rate limit count, across instances. @default undefined
   * (throttles in the database, the API rate limit per process)
   */
  redis: RedisConfig | undefined;
  /** `API_RATE_LIMIT` per `API_RATE_LIMIT_WINDOW_SECONDS`, per caller. @default 600 per 60 s */
  apiRateLimit: ApiRateLimitConfig;
  /** `MCP_ENABLED`: serve the operations as an MCP server at `/mcp`. @default true */
  mcpEnabled: boolean;
}

export const DEFAULT_PORT = 3333;
export const DEFAULT_DATABASE_URL = "file:./data/plugkit.db";

/** Options for {@link loadPluginConfig}. */
export interface LoadPluginConfigOptions<Extra> {
  /** @default process.env */
  env?: Env;
  /** What relative paths (a `file:` database) are relative to. @default process.cwd() */
  cwd?: string;
  /** Reads the app's own variables with the same reader, so their problems are listed too. */
  extend?: (read: ConfigReader) => Extra;
}

/**
 * Reads and validates the plugin's configuration from the environment, in one place, at
 * startup. Throws one {@link ConfigError} that names every invalid variable, the app's own
 * (read by `extend`) included.
 *
 * @example
 * const config = loadPluginConfig({
 *   extend: (read) => ({ greeting: read.string("GREETING") ?? "hello" }),
 * });
 */
export function loadPluginConfig<Extra extends object = Record<string, never>>(
  options: LoadPluginConfigOptions<Extra> = {},
): PluginConfig & Extra {
  const read = new ConfigReader(options.env ?? process.env);
  const cwd = options.cwd ?? process.cwd();
  const port = read.attempt(() => {
    const raw = read.string("PORT");
    if (raw === undefined) return DEFAULT_PORT;
    if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
      throw new ConfigError(`PORT: ${JSON.stringify(raw)} is not a port number (0-65535)`);
    }
    return Number(raw);
  }, DEFAULT_PORT);
  const publicUrl = read.attempt(() => {
    const raw = read.string("PUBLIC_URL");
    return raw === undefined ? undefined : parsePublicUrl(raw, "PUBLIC_URL");
  }, undefined);
  const database = read.attempt<DatabaseLocation>(() => databaseFrom(read, cwd), {
    kind: "sqlite",
    path: "",
  });
  const corsOrigins = read.attempt(
    () => parseCorsOrigins(read.list("CORS_ORIGINS", CHATGPT_ORIGINS), "CORS_ORIGINS"),
    [...CHATGPT_ORIGINS],
  );
  const trustedProxyHops = read.wholeNumber("TRUSTED_PROXY_HOPS", 0, { min: 0, max: 10 });
  if (read.env["TRUST_FORWARDED_HEADERS"] !== undefined) {
    read.fail(
      "TRUST_FORWARDED_HEADERS: replaced by TRUSTED_PROXY_HOPS, the number of proxies in front (0 = none, the default; Heroku and Fly.io: 1)",
      undefined,
    );
  }
  const auth = readAuth(read);
  const logLevel = read.oneOf("LOG_LEVEL", LOG_LEVELS, "info", { ignoreCase: true });
  const redisUrl = read.string("REDIS_URL");
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/]/i.test(redisUrl)) {
    read.fail(
      "REDIS_URL: must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379",
      undefined,
    );
  }
  const redisTlsVerify = read.boolean("REDIS_TLS_VERIFY", true);
  const redisKeyPrefix = read.string("REDIS_KEY_PREFIX") ?? "plugkit:";
  const apiRateLimit = {
    limit: read.wholeNumber("API_RATE_LIMIT", 600, { min: 0, max: 1_000_000 }),
    windowSeconds: read.wholeNumber("API_RATE_LIMIT_WINDOW_SECONDS", 60, {
      min: 1,
      max: 86_400,
      unit: " of seconds",
    }),
  };
  const mcpEnabled = read.boolean("MCP_ENABLED", true);
  const extra = options.extend?.(read) ?? ({} as Extra);
  read.finish();
  return {
    ...extra,
    port,
    host: read.string("HOST"),
    publicUrl,
    database,
    corsOrigins,
    trustedProxyHops,
    auth,
    logLevel,
    redis:
      redisUrl === undefined
        ? undefined
        : { url: redisUrl, tlsVerify: redisTlsVerify, keyPrefix: redisKeyPrefix },
    apiRateLimit,
    mcpEnabled,
  };
}

/** Only `DATABASE_URL`, for tools such as the accounts CLI. */
export function loadDatabaseLocation(
  env: Env = process.env,
  cwd: string = process.cwd(),
): DatabaseLocation {
  const read = new ConfigReader(env);
  const location = read.attempt(() => databaseFrom(read, cwd), undefined);
  read.finish();
  return location as DatabaseLocation;
}

function databaseFrom(read: ConfigReader, cwd: string): DatabaseLocation {
  const location = parseDatabaseUrl(read.string("DATABASE_URL") ?? DEFAULT_DATABASE_URL, cwd);
  if (location.kind === "sqlite") return location;
  return {
    ...location,
    poolSize: read.wholeNumber("DATABASE_POOL_SIZE", 10, { min: 1, max: 1000 }),
  };
}

/**
 * Parses `DATABASE_URL`: a SQLite file, `file:./data/plugkit.db` (relative to `cwd`),
 * `file:/abs/path.db`, `file:///abs/path.db` or `file::memory:`; or a PostgreSQL server,
 * `postgres://user:password@host:5432/database` (`postgresql://` too, with `sslmode`).
 * Throws a {@link ConfigError} for anything else.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "postgres" || scheme === "postgresql") return parsePostgresUrl(url);
  if (scheme !== "file") {
    throw new ConfigError(
      `DATABASE_URL: ${scheme === undefined ? "a URL without a scheme" : `the ${scheme}: scheme`} is not supported; use a SQLite file URL such as file:./data/plugkit.db, or postgres://user:password@host:5432/database`,
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
  if (path === "") {
    throw new ConfigError(
      "DATABASE_URL: the file path is empty; write e.g. file:./data/plugkit.db",
    );
  }
  return { kind: "sqlite", path: isAbsolute(path) ? path : resolve(cwd, path) };
}

function readAuth(read: ConfigReader): AuthConfig {
  const type = read.oneOf("PLUGIN_AUTH", ["none", "service_http", "user_http", "oauth"], "none");
  const authorizationType = (): HttpAuthorizationType =>
    read.oneOf("AUTHORIZATION_TYPE", ["bearer", "basic"], "bearer", { ignoreCase: true });
  const secret = (name: string, purpose: string): string => {
    const raw = read.env[name] ?? "";
    if (raw.trim() === "") {
      return read.fail(
        `${name}: required when PLUGIN_AUTH=${type} (${purpose}); generate one with \`openssl rand -hex 32\``,
        "",
      );
    }
    if (raw.length < MIN_SECRET_LENGTH) {
      return read.fail(
        `${name}: must be at least ${MIN_SECRET_LENGTH} characters (got ${raw.length}); generate one with \`openssl rand -hex 32\``,
        "",
      );
    }
    return raw;
  };
  const seconds = (name: string, fallback: number, min: number, max: number): number =>
    read.wholeNumber(name, fallback, { min, max, unit: " of seconds" });
  const verificationToken = read.string("OPENAI_VERIFICATION_TOKEN");

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
      // The confidential client (ChatGPT's) is optional: without it, MCP clients register.
      const clientId = read.string("OAUTH_CLIENT_ID");
      const hasSecret = (read.env["OAUTH_CLIENT_SECRET"] ?? "").trim() !== "";
      if (clientId === undefined && hasSecret) {
        read.fail(
          "OAUTH_CLIENT_ID: required with OAUTH_CLIENT_SECRET (the client id you register in ChatGPT)",
          undefined,
        );
      }
      const clientSecret =
        clientId === undefined
          ? undefined
          : secret("OAUTH_CLIENT_SECRET", "the client secret you register in ChatGPT");
      const allowRedirectWildcards = read.boolean("OAUTH_REDIRECT_URI_WILDCARDS", false);
      const redirectUris = read.list("OAUTH_REDIRECT_URIS", []);
      for (const uri of redirectUris) {
        // With wildcards on, `*` stands for one path segment; check the rest as a URL.
        if (!isHttpUrl(allowRedirectWildcards ? uri.replaceAll("*", "x") : uri)) {
          read.fail(`OAUTH_REDIRECT_URIS: ${JSON.stringify(uri)} is not an http(s) URL`, undefined);
        } else if (uri.includes("*") && !allowRedirectWildcards) {
          read.fail(
            `OAUTH_REDIRECT_URIS: ${JSON.stringify(uri)} has a wildcard; write the exact callback ChatGPT shows, or set OAUTH_REDIRECT_URI_WILDCARDS=true knowing that any ChatGPT plugin or GPT could then receive your users' codes`,
            undefined,
          );
        }
      }
      return {
        type,
        clientId,
        clientSecret,
        redirectUris,
        allowRedirectWildcards,
        dynamicRegistration: read.boolean("OAUTH_DYNAMIC_REGISTRATION", true),
        verificationToken,
        codeTtl: seconds("OAUTH_CODE_TTL", 300, 10, 600),
        accessTokenTtl: seconds("OAUTH_ACCESS_TOKEN_TTL", 3600, 60, 86400),
        refreshTokenTtl: seconds("OAUTH_REFRESH_TOKEN_TTL", 30 * 86400, 3600, 365 * 86400),
      };
    }
  }
}
