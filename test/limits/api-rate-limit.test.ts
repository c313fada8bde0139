import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { REDIS_URL, testRedisPrefix } from "../helpers/databases";

const apps: TestApp[] = [];
function start(env: Record<string, string>): TestApp {
  const app = createTestApp({ API_RATE_LIMIT: "3", API_RATE_LIMIT_WINDOW_SECONDS: "60", ...env });
  apps.push(app);
  return app;
}

/** Waits until /readyz says the app's Redis answers. */
async function ready(testApp: TestApp): Promise<TestApp> {
  for (let i = 0; i < 50; i++) {
    if ((await request(testApp.app).get("/readyz")).status === 200) return testApp;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("never ready");
}
afterEach(async () => {
  for (const app of apps.splice(0)) await app.dispose();
});

const counters = [
  { name: "in the process (no REDIS_URL)", env: () => ({}) },
  ...(REDIS_URL === null
    ? []
    : [
        {
          name: "in Redis",
          env: () => ({ REDIS_URL, REDIS_KEY_PREFIX: testRedisPrefix() }),
        },
      ]),
];

describe.each(counters)("the API rate limit, counted $name", ({ env }) => {
  it("answers the request over the limit with 429 JSON and Retry-After, and says what is left", async () => {
    const { app } = await ready(start(env()));
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await request(app).get("/todos/global");
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last?.body).toEqual({
      error: "rate_limited",
      message: expect.stringMatching(
        /^Too many requests: the limit is 3 per 60 seconds; retry in \d+ seconds\.$/,
      ),
    });
    const retryAfter = Number(last?.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last?.headers["ratelimit-limit"]).toBe("3");
    expect(last?.headers["ratelimit-remaining"]).toBe("0");
  });

  it("counts each credential the auth accepted apart, and everything else by address", async () => {
    const testApp = await ready(start({ ...env(), PLUGIN_AUTH: "user_http" }));
    const { app, accounts } = testApp;
    await accounts.create("alice", "alice-password");
    await accounts.create("bob", "bob-password");
    const alice = `Bearer ${(await accounts.issueToken("alice")).token}`;
    const bob = `Bearer ${(await accounts.issueToken("bob")).token}`;
    const get = (authorization: string) =>
      request(app).get("/todos/global").set("Authorization", authorization);

    // A credential's first request counts against the address: it is not yet known to be valid.
    expect((await get(alice)).status).toBe(200); // address: 1
    // From then on it has a count of its own.
    const aliceStatuses: number[] = [];
    for (let i = 0; i < 4; i++) aliceStatuses.push((await get(alice)).status);
    expect(aliceStatuses).toEqual([200, 200, 200, 429]);
    expect((await get(bob)).status).toBe(200); // address: 2
    // Made-up tokens gain nothing: each counts against the address, like no token at all.
    expect((await get("Bearer pk_user_made-up-1")).status).toBe(401); // address: 3
    expect((await get("Bearer pk_user_made-up-2")).status).toBe(429); // address: 4
    expect((await request(app).get("/todos/global")).status).toBe(429);
    // Bob, now known, is not held back by the address's count nor by Alice's.
    expect((await get(bob)).status).toBe(200);
  });

  it("leaves the manifest, the spec and the health checks alone", async () => {
    const { app } = start(env());
    for (let i = 0; i < 5; i++) {
      expect((await request(app).get("/.well-known/ai-plugin.json")).status).toBe(200);
      expect((await request(app).get("/healthz")).status).toBe(200);
    }
  });
});

describe("the API rate limit without its Redis", () => {
  it("lets requests through, and logs it, when Redis does not answer", async () => {
    const testApp = start({ REDIS_URL: "redis://127.0.0.1:9" });
    for (let i = 0; i < 5; i++) {
      expect((await request(testApp.app).get("/todos/global")).status).toBe(200);
    }
    expect(
      testApp.logged.some((line) => line.msg.startsWith("rate limit store not answering")),
    ).toBe(true);
    expect(testApp.errors()).toEqual([]);
  });

  it("is off with API_RATE_LIMIT=0", async () => {
    const { app } = start({ API_RATE_LIMIT: "0" });
    for (let i = 0; i < 5; i++) {
      const res = await request(app).get("/todos/global");
      expect(res.status).toBe(200);
      expect(res.headers["ratelimit-limit"]).toBeUndefined();
    }
  });
});
