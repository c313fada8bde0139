import request, { type Response } from "supertest";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpError } from "plugkit";
import { createBalldontlieProvider, seasonAt } from "../../src/stats/balldontlie-provider";
import { FakeBalldontlie } from "../helpers/fake-balldontlie";
import { SpecValidator } from "../helpers/spec-validator";
import { createTestApp, type TestApp } from "../helpers/test-app";

let fake: FakeBalldontlie;
let validator: SpecValidator;

beforeAll(async () => {
  const app = createTestApp();
  validator = await SpecValidator.fromYaml((await request(app.app).get("/openapi.yaml")).text);
  await app.dispose();
});

beforeEach(async () => {
  fake = new FakeBalldontlie();
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
});

describe("the plugin with STATS_PROVIDER=balldontlie", () => {
  let testApp: TestApp;
  beforeEach(() => {
    testApp = createTestApp({
      STATS_PROVIDER: "balldontlie",
      BALLDONTLIE_BASE_URL: fake.url,
      BALLDONTLIE_API_KEY: "bdl-key",
      STATS_TIMEOUT_MS: "300",
    });
  });
  afterEach(async () => {
    await testApp.dispose();
  });

  const get = async (path: string): Promise<Response> => {
    const res = await request(testApp.app).get(path);
    validator.expectConforms(res, "get", path.split("?")[0] ?? "");
    return res;
  };

  it("answers all five operations in the spec's shapes, sending the key and bracketed arrays upstream", async () => {
    const players = await get("/players?query=james&limit=5");
    expect(players.status).toBe(200);
    expect(players.body.data[0]).toMatchObject({
      id: 237,
      first_name: "LeBron",
      team: { abbreviation: "LAL" },
    });
    expect(players.body.meta).toMatchObject({
      next_cursor: "237",
      source: expect.stringContaining("balldontlie"),
    });
    expect((await get("/teams")).body.data).toHaveLength(2);
    const games = await get("/games?seasons=2023&team_ids=14&team_ids=2&start_date=2024-01-01");
    expect(games.body.data[0]).toMatchObject({
      id: 1001,
      home_team: { abbreviation: "LAL" },
      visitor_team_score: 102,
    });
    const stats = await get("/stats?player_ids=237");
    expect(stats.body.data[0]).toMatchObject({
      player_name: "LeBron James",
      team: "LAL",
      opponent: "BOS",
      min: 36.5,
      date: "2024-01-05",
      pts: 27,
    });
    const averages = await get("/season_averages?season=2023&player_ids=237");
    expect(averages.body.data[0]).toMatchObject({
      player_id: 237,
      season: 2023,
      min: 35.3,
      pts: 25.7,
    });

    const sent = fake.requests.map((r) => `${r.url.pathname}?${r.url.searchParams.toString()}`);
    expect(sent).toContain("/v1/players?search=james&per_page=5");
    expect(sent).toContain(
      "/v1/games?seasons%5B%5D=2023&team_ids%5B%5D=14&team_ids%5B%5D=2&start_date=2024-01-01&per_page=25",
    );
    expect(sent).toContain("/v1/season_averages?season=2023&player_ids%5B%5D=237");
    expect(fake.requests.every((r) => r.authorization === "bdl-key")).toBe(true);
  });

  it("serves repeated questions from its cache", async () => {
    await get("/teams");
    await get("/teams");
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a 503 and answers 200", async () => {
    fake.then({ kind: "status", status: 503 });
    expect((await get("/teams")).status).toBe(200);
    expect(fake.requests).toHaveLength(2);
  });

  it("answers 502 upstream_error, with a message to pass on, when the upstream keeps failing", async () => {
    fake.then(
      { kind: "status", status: 500 },
      { kind: "status", status: 500 },
      { kind: "status", status: 500 },
    );
    const res = await get("/teams");
    expect(res.status).toBe(502);
    expect(res.body.error).toBe("upstream_error");
    expect(res.body.message).toContain("try again shortly");
    expect(fake.requests).toHaveLength(3);
  });

  it("answers 504 upstream_timeout when the upstream is too slow, every attempt", async () => {
    fake.then(
      { kind: "delay", ms: 1000 },
      { kind: "delay", ms: 1000 },
      { kind: "delay", ms: 1000 },
    );
    const res = await get("/teams");
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({
      error: "upstream_timeout",
      message: expect.stringContaining("within 0.3 s"),
    });
  });

  it("answers 502 without retrying when the upstream refuses the key", async () => {
    fake.then({ kind: "status", status: 401 });
    const res = await get("/teams");
    expect(res.status).toBe(502);
    expect(res.body.error).toBe("upstream_unauthorized");
    expect(fake.requests).toHaveLength(1);
  });

  it("answers 502 when the upstream sends something that is not JSON", async () => {
    fake.then({ kind: "invalid-json" });
    const res = await get("/teams");
    expect(res.status).toBe(502);
    expect(res.body.error).toBe("upstream_invalid");
  });

  it("fails fast with the wait when the upstream rate-limits for longer than it is worth waiting", async () => {
    fake.then({ kind: "status", status: 429, retryAfter: "120" });
    const res = await get("/teams");
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      error: "upstream_rate_limited",
      message: expect.stringContaining("for 120 s"),
    });
    expect(fake.requests).toHaveLength(1);
  });

  it("validates parameters before calling upstream", async () => {
    const res = await get("/games?start_date=2024-13-01");
    expect(res.status).toBe(400);
    expect(fake.requests).toHaveLength(0);
  });

  it("serves descriptions that say the stats are live, not synthetic", async () => {
    const manifest = (await request(testApp.app).get("/.well-known/ai-plugin.json")).body;
    expect(manifest.description_for_model).toContain("live NBA data from the balldontlie API");
    expect(manifest.description_for_model).not.toContain("SYNTHETIC");
  });
});

describe("createBalldontlieProvider", () => {
  it("waits as long as Retry-After says on a 429, then succeeds", async () => {
    const waits: number[] = [];
    const provider = createBalldontlieProvider({
      apiKey: "k",
      baseUrl: fake.url,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    fake.then({ kind: "status", status: 429, retryAfter: "2" });
    expect(await provider.teams()).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it("backs off exponentially with jitter between retries", async () => {
    const waits: number[] = [];
    const provider = createBalldontlieProvider({
      apiKey: "k",
      baseUrl: fake.url,
      backoffMs: 100,
      retries: 2,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    fake.then({ kind: "status", status: 502 }, { kind: "status", status: 502 });
    await provider.teams();
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[0]).toBeLessThan(150);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    expect(waits[1]).toBeLessThan(300);
  });

  it("answers 502 when nothing listens at the base URL", async () => {
    const provider = createBalldontlieProvider({
      apiKey: "k",
      baseUrl: "http://127.0.0.1:9/v1",
      retries: 0,
    });
    const error = await provider.teams().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(502);
    expect((error as HttpError).code).toBe("upstream_unreachable");
  });

  it("dates the current season by its injected clock", async () => {
    const at = (now: number) =>
      createBalldontlieProvider({ apiKey: "k", baseUrl: fake.url, clock: { now: () => now } });
    expect(await at(Date.UTC(2024, 9, 1)).currentSeason()).toBe(2024);
    expect(await at(Date.UTC(2024, 8, 30, 23, 59)).currentSeason()).toBe(2023);
  });

  it("expires cached answers after the TTL", async () => {
    const provider = createBalldontlieProvider({ apiKey: "k", baseUrl: fake.url, cacheTtlMs: 0 });
    await provider.teams();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await provider.teams();
    expect(fake.requests).toHaveLength(2);
  });
});

describe("seasonAt", () => {
  it("starts a season in October, so before October the current season is last year's", () => {
    expect(seasonAt(Date.UTC(2023, 9, 1))).toBe(2023);
    expect(seasonAt(Date.UTC(2024, 5, 15))).toBe(2023);
    expect(seasonAt(Date.UTC(2024, 11, 31))).toBe(2024);
  });
});

afterAll(() => undefined);
