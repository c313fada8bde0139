import type { Redis } from "ioredis";
import type { Logger } from "../logging/logger";

/** `REDIS_URL` and how to reach it. */
export interface RedisConfig {
  /** `REDIS_URL`: `redis://` or `rediss://` (TLS). */
  url: string;
  /**
   * `REDIS_TLS_VERIFY`: check the server's certificate over `rediss://`. Heroku Data for Redis
   * presents a self-signed one: set `false` there. @default true
   */
  tlsVerify: boolean;
  /** `REDIS_KEY_PREFIX`: put before every key, so apps can share a server. @default "plugkit:" */
  keyPrefix: string;
}

/** The URL without its password, for logs. */
export function redisDisplay(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    parsed.username = parsed.username === "default" ? "" : parsed.username;
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "redis";
  }
}

/**
 * A Redis client for plugkit's counters, not yet connected (call `connect()`). Commands fail at
 * once while the connection is down (no queue that would hold requests), and the client
 * reconnects in the background; errors are logged at most every 30 s, never thrown at the
 * process.
 */
export function createRedisClient(config: RedisConfig, logger: Logger): Redis {
  const display = redisDisplay(config.url);
  // Loaded only when REDIS_URL is set.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Redis: RedisClient } = require("ioredis") as typeof import("ioredis");
  const redis = new RedisClient(config.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
    ...(/^rediss:/i.test(config.url) ? { tls: { rejectUnauthorized: config.tlsVerify } } : {}),
  });
  let lastReported = 0;
  redis.on("error", (error: Error) => {
    const now = Date.now();
    if (now - lastReported < 30_000) return;
    lastReported = now;
    logger.warn({ redis: display, err: error.message }, "redis connection failed; retrying");
  });
  redis.on("ready", () => {
    logger.info({ redis: display }, "redis ready");
  });
  return redis;
}
