import request, { type Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  Game,
  PageMeta,
  Player,
  SeasonAverage,
  StatLine,
  Team,
} from "../../src/stats/stats-types";
import { SpecValidator } from "../helpers/spec-validator";
import { createTestApp, type TestApp } from "../helpers/test-app";

// One app for the file: every test only reads the embedded dataset.
let testApp: TestApp;
let validator: SpecValidator;

beforeAll(async () => {
  testApp = createTestApp();
  validator = await SpecValidator.fromYaml((await request(testApp.app).get("/openapi.yaml")).text);
});
afterAll(async () => {
  expect(testApp.errors()).toEqual([]);
  await testApp.dispose();
});

/** GETs a stats path over HTTP and checks the response against the served spec. */
async function get(pathAndQuery: string): Promise<Response> {
  const res = await request(testApp.app).get(pathAndQuery);
  validator.expectConforms(res, "get", pathAndQuery.split("?")[0] ?? "");
  return res;
}

interface Paged<T> {
  data: T[];
  meta: PageMeta;
}
const body = <T>(res: Response): Paged<T> => res.body as Paged<T>;

/** Follows next_cursor until the end and returns every row. */
async function all<T>(pathAndQuery: string): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = pathAndQuery.includes("?") ? "&" : "?";
    const res = await get(
      `${pathAndQuery}${sep}limit=100${cursor === null ? "" : `&cursor=${cursor}`}`,
    );
    expect(res.status).toBe(200);
    rows.push(...body<T>(res).data);
    cursor = body<T>(res).meta.next_cursor;
  } while (cursor !== null);
  return rows;
}

describe("getTeams", () => {
  it("returns the 30 NBA teams, 15 per conference", async () => {
    const res = await get("/teams");
    expect(res.status).toBe(200);
    const teams = body<Team>(res).data;
    expect(teams).toHaveLength(30);
    expect(teams.filter((t) => t.conference === "East")).toHaveLength(15);
    expect(teams.find((t) => t.abbreviation === "BOS")).toEqual({
      id: 2,
      abbreviation: "BOS",
      full_name: "Boston Celtics",
      city: "Boston",
      name: "Celtics",
      conference: "East",
      division: "Atlantic",
    });
    expect(body<Team>(res).meta.source).toMatch(/^SYNTHETIC/);
  });
});

describe("getPlayers", () => {
  it("finds players by part of their first or last name, case-insensitively", async () => {
    const players = body<Player>(await get("/players?query=DAVIS")).data;
    expect(players.length).toBeGreaterThan(0);
    for (const p of players)
      expect(`${p.first_name} ${p.last_name}`.toLowerCase()).toContain("davis");
    const [first] = players;
    const both = body<Player>(
      await get(`/players?query=${encodeURIComponent(`${first?.first_name} ${first?.last_name}`)}`),
    ).data;
    expect(both.map((p) => p.id)).toContain(first?.id);
  });

  it("pages through all 450 players with next_cursor, without repeats, and says so in meta", async () => {
    const firstPage = body<Player>(await get("/players"));
    expect(firstPage.data).toHaveLength(25);
    expect(firstPage.meta).toMatchObject({ count: 25, next_cursor: "25", total_count: 450 });
    expect(firstPage.meta.note).toBe(
      "More results exist (450 in all): call again with cursor=25 for the next page.",
    );
    const players = await all<Player>("/players");
    expect(players).toHaveLength(450);
    expect(new Set(players.map((p) => p.id)).size).toBe(450);
  });

  it("returns an empty page for a name nobody has, and treats % and _ literally", async () => {
    for (const query of ["zzzzzz", "%", "_"]) {
      const res = await get(`/players?query=${encodeURIComponent(query)}`);
      expect(body<Player>(res).data).toEqual([]);
      expect(body<Player>(res).meta.next_cursor).toBeNull();
    }
  });

  it.each([
    ["limit=0", "limit", "limit must be at least 1"],
    ["limit=101", "limit", "limit must be at most 100"],
    ["limit=2.5", "limit", "limit must be an integer"],
    ["limit=ten", "limit", "limit must be an integer"],
    ["cursor=abc", "cursor", "cursor must be a meta.next_cursor value"],
    [`query=${"q".repeat(101)}`, "query", "query must be at most 100 characters"],
  ])("answers ?%s with 400 naming %s", async (query, field, message) => {
    const res = await get(`/players?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.fields[field].message).toContain(message);
  });
});

describe("getGames", () => {
  it("has 82 games for every team over the 2023 season, 1,230 in all", async () => {
    const games = await all<Game>("/games?seasons=2023");
    expect(games).toHaveLength(1230);
    const boston = await all<Game>("/games?team_ids=2");
    expect(boston).toHaveLength(82);
    for (const g of boston) expect([g.home_team.id, g.visitor_team.id]).toContain(2);
    expect(body<Game>(await get("/games?seasons=2022")).data).toEqual([]);
  });

  it("filters by an inclusive date range and lists games by date", async () => {
    const games = await all<Game>("/games?start_date=2024-01-01&end_date=2024-01-31");
    expect(games.length).toBeGreaterThan(0);
    for (const g of games) expect(g.date >= "2024-01-01" && g.date <= "2024-01-31").toBe(true);
    expect(games.map((g) => g.date)).toEqual([...games.map((g) => g.date)].sort());
    const day = games[0]?.date ?? "";
    const oneDay = body<Game>(await get(`/games?start_date=${day}&end_date=${day}`)).data;
    expect(oneDay.length).toBeGreaterThan(0);
    expect(oneDay.every((g) => g.date === day)).toBe(true);
  });

  it("accepts several values as repeated parameters or with brackets, alike", async () => {
    const repeated = body<Game>(await get("/games?team_ids=1&team_ids=2&limit=100"));
    const bracketed = body<Game>(await get("/games?team_ids[]=1&team_ids[]=2&limit=100"));
    expect(bracketed.data).toEqual(repeated.data);
    const either = new Set(
      [...(await all<Game>("/games?team_ids=1")), ...(await all<Game>("/games?team_ids=2"))].map(
        (g) => g.id,
      ),
    );
    expect(repeated.meta.total_count).toBe(either.size);
    const single = body<Game>(await get("/games?team_ids[]=2&limit=1"));
    expect(single.meta.total_count).toBe(82);
  });

  it.each([
    ["start_date=2024-1-5", "start_date", "start_date must be a real date in YYYY-MM-DD format"],
    ["start_date=2024-02-30", "start_date", "start_date must be a real date in YYYY-MM-DD format"],
    [
      "start_date=2024-01-05T00:00:00Z",
      "start_date",
      "start_date must be a real date in YYYY-MM-DD format",
    ],
    ["end_date=yesterday", "end_date", "end_date must be a real date in YYYY-MM-DD format"],
    ["end_date=2023-02-29", "end_date", "end_date must be a real date in YYYY-MM-DD format"],
    [
      "start_date=2024-03-01&end_date=2024-02-01",
      "start_date",
      "start_date must be on or before end_date",
    ],
    ["team_ids=1,2", "team_ids[0]", "repeat the parameter for several ids"],
    ["team_ids=0", "team_ids[0]", "ids are 1 or more"],
    ["seasons=23", "seasons[0]", "seasons start in 1946"],
    ["seasons=abc", "seasons[0]", "seasons must be years such as 2023"],
  ])("answers ?%s with 400 naming %s", async (query, field, message) => {
    const res = await get(`/games?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.fields[field].message).toContain(message);
    expect(res.body.message).toContain(field);
  });
});

describe("getStats", () => {
  it("gives box scores whose points add up to each game's final score", async () => {
    const game = body<Game>(await get("/games?team_ids=14&limit=1")).data[0] as Game;
    const lines = await all<StatLine>(`/stats?game_ids=${game.id}`);
    expect(lines.length).toBeGreaterThanOrEqual(16);
    const points = (team: string) =>
      lines.filter((l) => l.team === team).reduce((sum, l) => sum + l.pts, 0);
    expect(points(game.home_team.abbreviation)).toBe(game.home_team_score);
    expect(points(game.visitor_team.abbreviation)).toBe(game.visitor_team_score);
    for (const l of lines) {
      expect(l.pts).toBe(2 * l.fgm + l.fg3m + l.ftm);
      expect(l.reb).toBe(l.oreb + l.dreb);
      expect(l.game_id).toBe(game.id);
      expect(l.opponent).toBe(
        l.team === game.home_team.abbreviation
          ? game.visitor_team.abbreviation
          : game.home_team.abbreviation,
      );
    }
  });

  it("filters by players and dates", async () => {
    const lines = await all<StatLine>(
      "/stats?player_ids=1&player_ids=2&start_date=2023-11-01&end_date=2023-11-30",
    );
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) {
      expect([1, 2]).toContain(l.player_id);
      expect(l.date >= "2023-11-01" && l.date <= "2023-11-30").toBe(true);
    }
  });

  it("answers an unknown player with an empty page", async () => {
    expect(body<StatLine>(await get("/stats?player_ids=999999")).data).toEqual([]);
  });
});

describe("getSeasonAverages", () => {
  it("derives per-game averages from the box scores, for the current season by default", async () => {
    const res = await get("/season_averages?player_ids=1");
    expect(res.status).toBe(200);
    const [average] = body<SeasonAverage>(res).data;
    const lines = await all<StatLine>("/stats?player_ids=1");
    const mean = (pick: (l: StatLine) => number) =>
      Math.round((lines.reduce((s, l) => s + pick(l), 0) / lines.length) * 10) / 10;
    expect(average).toMatchObject({
      player_id: 1,
      season: 2023,
      games_played: lines.length,
      pts: mean((l) => l.pts),
      reb: mean((l) => l.reb),
      ast: mean((l) => l.ast),
    });
    const fga = lines.reduce((s, l) => s + l.fga, 0);
    expect(average?.fg_pct).toBe(
      Math.round((lines.reduce((s, l) => s + l.fgm, 0) / fga) * 1000) / 1000,
    );
  });

  it("returns each requested player once, in id order, and nothing for a season without games", async () => {
    const res = await get("/season_averages?season=2023&player_ids=3&player_ids=1&player_ids=3");
    expect(body<SeasonAverage>(res).data.map((a) => a.player_id)).toEqual([1, 3]);
    expect(
      body<SeasonAverage>(await get("/season_averages?season=2019&player_ids=1")).data,
    ).toEqual([]);
  });

  it.each([
    ["", "player_ids", "'player_ids' is required"],
    [
      Array.from({ length: 26 }, (_, i) => `player_ids=${i + 1}`).join("&"),
      "player_ids",
      "at most 25 player ids",
    ],
    ["player_ids=1&season=1900", "season", "season must be 1946 or later"],
    ["player_ids=1&season=last", "season", "season must be a year such as 2023"],
  ])("answers ?%s with 400 naming %s", async (query, field, message) => {
    const res = await get(`/season_averages?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.fields[field].message).toContain(message);
  });
});

describe("response size", () => {
  it("keeps the largest page of every operation far below the platform's 100,000 characters", async () => {
    for (const path of [
      "/players?limit=100",
      "/games?limit=100",
      "/stats?limit=100",
      "/teams",
      `/season_averages?${Array.from({ length: 25 }, (_, i) => `player_ids=${i + 1}`).join("&")}`,
    ]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.text.length, path).toBeLessThan(60_000);
    }
  });
});

describe("the manifest", () => {
  it("says plainly that the default stats are synthetic", async () => {
    const manifest = (await request(testApp.app).get("/.well-known/ai-plugin.json")).body;
    expect(manifest.description_for_model).toContain("SYNTHETIC");
    expect(manifest.description_for_human).toContain("synthetic");
  });
});
