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

/** Most callers one process counts in a window; beyond, new callers share one count. */
const MAX_COUNTED_CALLERS = 100_000;

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
      // Memory stays bounded however many addresses a flood comes from.
      const key = counts.has(caller) || counts.size < MAX_COUNTED_CALLERS ? caller : "overflow";
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
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

/** The hash a credential is known by (a token is never a key, nor kept). */
function credentialHash(req: Request): string | undefined {
  const authorization = req.get("authorization");
  if (authorization === undefined || authorization.trim() === "") return undefined;
  return createHash("sha256").update(authorization).digest("base64url").slice(0, 22);
}

/**
 * The credentials this process has seen the plugin's auth accept, most recent first (at most
 * 10,000). Only those get a count of their own: a request with a credential nobody has verified
 * counts against its address, so sending a new made-up token each time gains nothing.
 */
export class VerifiedCredentials {
  private readonly seen = new Map<string, true>();

  constructor(private readonly max = 10_000) {}

  /** Called when the auth accepted the request's credential. */
  remember(req: Request): void {
    const hash = credentialHash(req);
    if (hash === undefined) return;
    this.seen.delete(hash);
    this.seen.set(hash, true);
    if (this.seen.size > this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  /**
   * Who a request counts against: its credential when the auth has accepted it before, else
   * its client address (an IPv6 address by its /64).
   */
  callerKey(req: Request, address: string): string {
    const hash = credentialHash(req);
    return hash !== undefined && this.seen.has(hash) ? `credential:${hash}` : `address:${address}`;
  }
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
