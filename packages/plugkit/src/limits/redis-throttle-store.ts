import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { ServiceUnavailableError } from "../errors";
import { secondsUntilFree, type ThrottleStore } from "./throttle-store";

// Per key, a sorted set of attempts scored by time. In one script (Redis runs scripts one at
// a time), the window is trimmed, every key is checked, and only then is the attempt added to
// each: atomic across every instance sharing the server.
const TAKE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= tonumber(ARGV[3 + i]) then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    return {0, oldest[2]}
  end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
end
return {1}
`;

/** The 503 an attempt gets while Redis does not answer: throttles fail closed. */
export function redisUnavailable(cause: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError(
    "The rate-limit store (Redis) is not answering; nothing was done. Retry in a few seconds.",
    5,
    { code: "rate_limit_unavailable", cause },
  );
}

/** The throttle in Redis (with `REDIS_URL`): one sorted set per key, checked by a script. */
export function redisThrottleStore(redis: Redis, keyPrefix: string): ThrottleStore {
  const keyOf = (key: string): string => `${keyPrefix}throttle:${key}`;
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw redisUnavailable(error);
    }
  };
  return {
    take: (keys, now, windowMs) =>
      guarded(async () => {
        const member = `${now}:${randomBytes(8).toString("hex")}`;
        const result = (await redis.eval(
          TAKE,
          keys.length,
          ...keys.map(({ key }) => keyOf(key)),
          now,
          windowMs,
          member,
          ...keys.map(({ limit }) => limit),
        )) as [number, string?];
        if (result[0] === 1) {
          return {
            allowed: true,
            ticket: { ids: keys.map(({ key }) => `${keyOf(key)}\n${member}`) },
          };
        }
        return {
          allowed: false,
          retryAfterSeconds: secondsUntilFree(Number(result[1] ?? now), windowMs, now),
        };
      }),
    forget: (ticket) =>
      guarded(async () => {
        const pipeline = redis.pipeline();
        for (const id of ticket.ids) {
          const [key = "", member = ""] = id.split("\n");
          pipeline.zrem(key, member);
        }
        await pipeline.exec();
      }),
    clear: (key) =>
      guarded(async () => {
        await redis.del(keyOf(key));
      }),
  };
}
