import { createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import type { Redis } from "ioredis";
import { TooManyRequestsError } from "../errors";
import type { Logger } from "../logging/logger";
import { logOf } from "../logging/request-logging";

/** `API_RATE_LIMIT` and `API_RATE_LIMIT_WINDOW_SECONDS`. */
export interface ApiRateLimitConfig {
  /** Requests each caller may make per window; 0 turns the limit off. @default 600 */
  limit: number;
  /** @default 60 */
  windowSeconds: number;
}

/** How many requests a caller has made in the current window. */
export interface RateCounter {
  /** Counts a request by `caller` and returns the count in its window (which ends at `resetAt`). */
  hit(caller: string, now: number): Promise<{ count: number; resetAt: number }>;
}

/** Fixed-window counters in this process (without `REDIS_URL`): per instance, not shared. */
export function memoryRateCounter(windowMs: number): RateCounter {
  let window = -1;
  let counts = new Map<string, number>();
  return {
    hit: async (caller, now) => {
      const current = Math.floor(now / windowMs);
      // A new window starts empty: the old counts (and their memory) go at once.
      if (current !== window) {
        window = current;
        counts = new Map();
      }
      const count = (counts.get(caller) ?? 0) + 1;
      counts.set(caller, count);
      return { count, resetAt: (current + 1) * windowMs };
    },
  };
}

/** Fixed-window counters in Redis: shared by every instance. */
export function redisRateCounter(redis: Redis, keyPrefix: string, windowMs: number): RateCounter {
  return {
    hit: async (caller, now) => {
      const current = Math.floor(now / windowMs);
      const key = `${keyPrefix}rate:${caller}:${current}`;
      const results = await redis
        .multi()
        .incr(key)
        .pexpire(key, windowMs * 2)
        .exec();
      const count = Number(results?.[0]?.[1] ?? 0);
      return { count, resetAt: (current + 1) * windowMs };
    },
  };
}

/**
 * Who a request counts against: its credentials when it has any (hashed: a token is never a
 * key), else its client address (an IPv6 address by its /64).
 */
export function callerKey(req: Request, address: string): string {
  const authorization = req.get("authorization");
  if (authorization !== undefined && authorization.trim() !== "") {
    return `credential:${createHash("sha256").update(authorization).digest("base64url").slice(0, 22)}`;
  }
  return `address:${address}`;
}

/**
 * The per-caller limit on the API's operations: over it, 429 `rate_limited` with `Retry-After`
 * (seconds to the next window). Every answer carries `RateLimit-Limit`, `RateLimit-Remaining`
 * and `RateLimit-Reset`. When the counter store does not answer, the request goes through and
 * the failure is logged: an unreachable Redis must not take the API down with it.
 */
export function apiRateLimit(options: {
  config: ApiRateLimitConfig;
  counter: RateCounter;
  callerOf: (req: Request) => string;
  now: () => number;
  logger: Logger;
}): RequestHandler {
  const { config, counter, callerOf, now } = options;
  let lastReported = 0;
  return (req, res, next) => {
    const at = now();
    counter.hit(callerOf(req), at).then(
      ({ count, resetAt }) => {
        const reset = Math.max(1, Math.ceil((resetAt - at) / 1000));
        res.set({
          "RateLimit-Limit": String(config.limit),
          "RateLimit-Remaining": String(Math.max(0, config.limit - count)),
          "RateLimit-Reset": String(reset),
        });
        if (count > config.limit) {
          next(
            new TooManyRequestsError(
              `Too many requests: the limit is ${config.limit} per ${config.windowSeconds} seconds; retry in ${reset} seconds.`,
              reset,
              { code: "rate_limited" },
            ),
          );
          return;
        }
        next();
      },
      (error: unknown) => {
        if (at - lastReported > 30_000) {
          lastReported = at;
          logOf(res, options.logger).warn(
            { err: error instanceof Error ? error.message : String(error) },
            "rate limit store not answering; letting requests through",
          );
        }
        next();
      },
    );
  };
}
