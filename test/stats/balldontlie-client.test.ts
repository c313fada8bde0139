import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpError } from "plugkit";
import {
  backoffDelay,
  createBalldontlieClient,
  isRetryableStatus,
  networkFailure,
  parseRetryAfter,
  retryDelay,
  statusFailure,
  TtlCache,
  type RetryPolicy,
} from "../../src/stats/balldontlie-client";
import { TestClock } from "../helpers/clock";
import { FakeBalldontlie } from "../helpers/fake-balldontlie";

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  retries: 2,
  backoffMs: 100,
  maxRetryAfterMs: 10_000,
  jitter: () => 0,
  ...overrides,
});

describe("isRetryableStatus", () => {
  it.each([429, 500, 502, 503, 504])("retries HTTP %i", (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 422])("does not retry HTTP %i", (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2024-01-05T12:00:00Z");

  it("reads delay-seconds as milliseconds", () => {
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
  });

  it("reads an HTTP date as the time left until it, from the given now", () => {
    expect(parseRetryAfter("Fri, 05 Jan 2024 12:00:30 GMT", now)).toBe(30_000);
  });

  it("reads an HTTP date in the past as no wait", () => {
    expect(parseRetryAfter("Fri, 05 Jan 2024 11:00:00 GMT", now)).toBe(0);
  });

  it("gives undefined for a missing or unreadable header", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("doubles with each attempt", () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, 300, 0))).toEqual([
      300, 600, 1200, 2400,
    ]);
  });

  it("stretches the wait by up to half with the jitter", () => {
    expect(backoffDelay(0, 300, 0.5)).toBe(375);
    expect(backoffDelay(1, 300, 0.999)).toBeCloseTo(899.7);
  });
});

describe("retryDelay", () => {
  it("backs off exponentially, with the policy's jitter, while retries remain", () => {
    const retry = policy({ jitter: () => 0.5 });
    expect(retryDelay(retry, 0, undefined)).toBe(125);
    expect(retryDelay(retry, 1, undefined)).toBe(250);
  });

  it("gives up once the retries are spent", () => {
    expect(retryDelay(policy({ retries: 2 }), 2, undefined)).toBeUndefined();
    expect(retryDelay(policy({ retries: 0 }), 0, 1000)).toBeUndefined();
  });

  it("waits as long as Retry-After says instead of backing off, even zero", () => {
    expect(retryDelay(policy(), 0, 2000)).toBe(2000);
    expect(retryDelay(policy(), 1, 0)).toBe(0);
  });

  it("gives up when Retry-After asks for longer than the most it honours", () => {
    expect(retryDelay(policy({ maxRetryAfterMs: 10_000 }), 0, 10_000)).toBe(10_000);
    expect(retryDelay(policy({ maxRetryAfterMs: 10_000 }), 0, 10_001)).toBeUndefined();
  });

  it("draws the jitter only when it backs off", () => {
    let draws = 0;
    const retry = policy({
      jitter: () => {
        draws++;
        return 0;
      },
    });
    retryDelay(retry, 0, 500);
    retryDelay(retry, 2, undefined);
    expect(draws).toBe(0);
    retryDelay(retry, 0, undefined);
    expect(draws).toBe(1);
  });
});

describe("the errors the model relays", () => {
  it("names the wait when rate-limited with Retry-After, rounded up to seconds", () => {
    const error = statusFailure(429, 1500);
    expect([error.status, error.code]).toEqual([502, "upstream_rate_limited"]);
    expect(error.message).toContain("rate-limiting this plugin for 2 s.");
    expect(statusFailure(429, undefined).message).toContain("rate-limiting this plugin.");
  });

  it("says a refused key is refused for 401 and 403, and gives other statuses as they are", () => {
    expect(statusFailure(401, undefined).code).toBe("upstream_unauthorized");
    expect(statusFailure(403, undefined).code).toBe("upstream_unauthorized");
    expect(statusFailure(404, undefined)).toMatchObject({
      status: 502,
      code: "upstream_error",
      message: expect.stringContaining("failed with HTTP 404"),
    });
  });

  it("answers 504 for a timeout and 502 for no connection, both telling the user to try again", () => {
    expect(networkFailure(true, 5000)).toMatchObject({
      status: 504,
      code: "upstream_timeout",
      message: expect.stringContaining("within 5 s"),
    });
    expect(networkFailure(false, 5000)).toMatchObject({
      status: 502,
      code: "upstream_unreachable",
    });
    expect(networkFailure(false, 5000).message).toContain("try again shortly");
  });
});

describe("TtlCache", () => {
  it("keeps an entry for the TTL by its clock and drops it after", () => {
    const clock = new TestClock();
    const cache = new TtlCache<string>(60_000, 10, clock);
    cache.set("a", "1");
    clock.advance(60);
    expect(cache.get("a")).toBe("1");
    clock.advance(0.001);
    expect(cache.get("a")).toBeUndefined();
  });

  it("evicts the least recently used entry when full", () => {
    const cache = new TtlCache<number>(60_000, 2, new TestClock());
    cache.set("a", 1);
    cache.set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });
});

describe("createBalldontlieClient", () => {
  let fake: FakeBalldontlie;
  beforeEach(async () => {
    fake = new FakeBalldontlie();
    await fake.start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it("waits the backoff its injected jitter gives between retries", async () => {
    const waits: number[] = [];
    const client = createBalldontlieClient({
      apiKey: "k",
      baseUrl: fake.url,
      backoffMs: 100,
      jitter: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    fake.then({ kind: "status", status: 503 }, { kind: "status", status: 503 });
    await client.get("/teams");
    expect(waits).toEqual([125, 250]);
  });

  it("reads an HTTP-date Retry-After against its injected clock, not the real time", async () => {
    const waits: number[] = [];
    const client = createBalldontlieClient({
      apiKey: "k",
      baseUrl: fake.url,
      clock: { now: () => Date.parse("2024-01-05T12:00:00Z") },
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    fake.then({ kind: "status", status: 429, retryAfter: "Fri, 05 Jan 2024 12:00:03 GMT" });
    await client.get("/teams");
    expect(waits).toEqual([3000]);
  });

  it("serves an answer from its cache until the TTL passes on its clock, then asks again", async () => {
    const clock = new TestClock();
    const client = createBalldontlieClient({
      apiKey: "k",
      baseUrl: fake.url,
      cacheTtlMs: 60_000,
      clock,
    });
    await client.get("/teams");
    clock.advance(59);
    await client.get("/teams");
    expect(fake.requests).toHaveLength(1);
    clock.advance(2);
    await client.get("/teams");
    expect(fake.requests).toHaveLength(2);
  });

  it("caches by URL, so other parameters ask again", async () => {
    const client = createBalldontlieClient({ apiKey: "k", baseUrl: `${fake.url}/` });
    await client.get("/players", [["search", "james"]]);
    await client.get("/players", [["search", "davis"]]);
    await client.get("/players", [["search", "james"]]);
    expect(fake.requests.map((r) => r.url.search)).toEqual(["?search=james", "?search=davis"]);
    expect(client.baseUrl).toBe(fake.url);
  });

  it("does not retry an answer that is not JSON", async () => {
    const client = createBalldontlieClient({ apiKey: "k", baseUrl: fake.url });
    fake.then({ kind: "invalid-json" });
    const error = await client.get("/teams").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe("upstream_invalid");
    expect(fake.requests).toHaveLength(1);
  });
});
