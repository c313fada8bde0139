import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPluginDatabase } from "plugkit";
import {
  databaseThrottleStore,
  type ThrottleStore,
} from "../../packages/plugkit/src/limits/throttle-store";
import { redisThrottleStore } from "../../packages/plugkit/src/limits/redis-throttle-store";
import { REDIS_URL, testRedisPrefix } from "../helpers/databases";

interface Backend {
  name: string;
  open(): Promise<{ stores: [ThrottleStore, ThrottleStore]; close(): Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: "the database",
    open: async () => {
      const database = openPluginDatabase({ kind: "sqlite", path: ":memory:" });
      const store = databaseThrottleStore(database.auth);
      return { stores: [store, store], close: () => database.close() };
    },
  },
  ...(REDIS_URL === null ? [] : [redisBackend(REDIS_URL)]),
];

function redisBackend(url: string): Backend {
  return {
    name: "Redis",
    open: async () => {
      // Two connections, as two instances would have.
      const prefix = testRedisPrefix();
      const one = new Redis(url);
      const two = new Redis(url);
      return {
        stores: [redisThrottleStore(one, prefix), redisThrottleStore(two, prefix)] as [
          ThrottleStore,
          ThrottleStore,
        ],
        close: async () => {
          const keys = await one.keys(`${prefix}*`);
          if (keys.length > 0) await one.del(...keys);
          one.disconnect();
          two.disconnect();
        },
      };
    },
  };
}

describe.each(BACKENDS)("the throttle counters in $name", (backend) => {
  let a: ThrottleStore;
  let b: ThrottleStore;
  let opened: Awaited<ReturnType<Backend["open"]>>;
  const NOW = 1_800_000_000_000;
  const WINDOW = 60_000;

  beforeEach(async () => {
    opened = await backend.open();
    [a, b] = opened.stores;
  });
  afterEach(async () => {
    await opened.close();
  });

  it("lets exactly `limit` of 20 simultaneous attempts through and says when to retry", async () => {
    const keys = [
      { key: "account:alice", limit: 5 },
      { key: "address:192.0.2.1", limit: 50 },
    ];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).take(keys, NOW + i, WINDOW)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    // Refused until the oldest counted attempt leaves the window: about a minute.
    const waits = results.flatMap((r) => (r.allowed ? [] : [r.retryAfterSeconds]));
    expect(waits).toHaveLength(15);
    expect(Math.min(...waits)).toBeGreaterThan(55);
  });

  it("counts nothing when one key is over its limit", async () => {
    await a.take([{ key: "x", limit: 1 }], NOW, WINDOW);
    expect(
      (
        await b.take(
          [
            { key: "x", limit: 1 },
            { key: "y", limit: 1 },
          ],
          NOW,
          WINDOW,
        )
      ).allowed,
    ).toBe(false);
    // "y" was not counted by the refused attempt.
    expect((await a.take([{ key: "y", limit: 1 }], NOW, WINDOW)).allowed).toBe(true);
  });

  it("takes back a ticket, forgets a cleared key, and lets old attempts leave the window", async () => {
    const keys = [{ key: "k", limit: 1 }];
    const first = await a.take(keys, NOW, WINDOW);
    expect((await b.take(keys, NOW, WINDOW)).allowed).toBe(false);
    if (!first.allowed) throw new Error("the first attempt was refused");
    await b.forget(first.ticket);
    expect((await a.take(keys, NOW, WINDOW)).allowed).toBe(true);
    await b.clear("k");
    expect((await a.take(keys, NOW, WINDOW)).allowed).toBe(true);
    expect((await a.take(keys, NOW + WINDOW + 1, WINDOW)).allowed).toBe(true);
  });
});
