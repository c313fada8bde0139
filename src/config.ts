import { CHATGPT_ORIGINS, ConfigError, parseCorsOrigins, parsePublicUrl } from "./sdk";
import { parseDatabaseUrl, type DatabaseLocation } from "./todos/open-todo-store";

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
  /** `TRUST_FORWARDED_HEADERS`: honour X-Forwarded-Host/-Proto from a proxy. @default true */
  trustForwardedHeaders: boolean;
}

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
  const attempt = <T>(read: () => T, fallback: T): T => {
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
    const list = raw
      .split(",")
      .map((origin) => origin.trim())
      .filter((origin) => origin !== "");
    return parseCorsOrigins(list, "CORS_ORIGINS");
  }, [...CHATGPT_ORIGINS]);

  const trustForwardedHeaders = attempt(() => {
    const raw = nonEmpty(env, "TRUST_FORWARDED_HEADERS")?.toLowerCase();
    if (raw === undefined || raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    throw new ConfigError(`TRUST_FORWARDED_HEADERS: ${JSON.stringify(raw)} must be true or false`);
  }, true);

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
  };
}
