import { describe, expect, it } from "vitest";
import {
  count,
  minutes,
  ratio,
  toBoxScore,
  toGame,
  toPage,
  toPlayer,
  toSeasonAverage,
  toStatLine,
  toTeam,
} from "../../src/stats/balldontlie-mapping";
import type {
  UpstreamBoxScore,
  UpstreamStat,
  UpstreamTeam,
} from "../../src/stats/balldontlie-types";

const LAL: UpstreamTeam = {
  id: 14,
  abbreviation: "LAL",
  city: "Los Angeles",
  conference: "West",
  division: "Pacific",
  full_name: "Los Angeles Lakers",
  name: "Lakers",
};

const BOX: UpstreamBoxScore = {
  pts: 27,
  reb: 8,
  ast: 9,
  stl: 1,
  blk: 1,
  turnover: 3,
  pf: 2,
  fgm: 10,
  fga: 20,
  fg_pct: 0.5,
  fg3m: 2,
  fg3a: 6,
  fg3_pct: 33.3,
  ftm: 5,
  fta: 6,
  ft_pct: null,
  oreb: 1,
  dreb: 7,
};

const stat = (game: Partial<UpstreamStat["game"]>): UpstreamStat => ({
  ...BOX,
  id: 5001,
  min: "36:30",
  player: { id: 237, first_name: "LeBron", last_name: "James" },
  team: LAL,
  game: {
    id: 1001,
    date: "2024-01-05T00:00:00.000Z",
    season: 2023,
    status: "Final",
    period: 4,
    postseason: false,
    home_team_score: 110,
    visitor_team_score: 102,
    ...game,
  },
});

describe("count, ratio and minutes", () => {
  it("counts a missing or non-finite number as 0", () => {
    expect([count(3.5), count(null), count(undefined), count(Number.NaN)]).toEqual([3.5, 0, 0, 0]);
  });

  it("keeps 0-1 ratios, scales 0-100 percentages down, and keeps a missing one null", () => {
    expect([ratio(0.5), ratio(1), ratio(54.2), ratio(null)]).toEqual([0.5, 1, 0.542, null]);
  });

  it("reads minutes from mm:ss, whole minutes or a number, to one decimal", () => {
    expect([minutes("36:30"), minutes("35:18"), minutes("34"), minutes(12.25)]).toEqual([
      36.5, 35.3, 34, 12.25,
    ]);
    expect([minutes(null), minutes(""), minutes("n/a")]).toEqual([0, 0, 0]);
  });
});

describe("toBoxScore", () => {
  it("maps every count and percentage, in the BoxScore's field order", () => {
    expect(Object.entries(toBoxScore(BOX))).toEqual([
      ["pts", 27],
      ["reb", 8],
      ["ast", 9],
      ["stl", 1],
      ["blk", 1],
      ["turnover", 3],
      ["pf", 2],
      ["fgm", 10],
      ["fga", 20],
      ["fg_pct", 0.5],
      ["fg3m", 2],
      ["fg3a", 6],
      ["fg3_pct", 0.333],
      ["ftm", 5],
      ["fta", 6],
      ["ft_pct", null],
      ["oreb", 1],
      ["dreb", 7],
    ]);
  });
});

describe("toTeam, toPlayer and toGame", () => {
  it("maps a team and keeps only id, abbreviation and full name in references", () => {
    expect(toTeam(LAL)).toEqual({
      id: 14,
      abbreviation: "LAL",
      full_name: "Los Angeles Lakers",
      city: "Los Angeles",
      name: "Lakers",
      conference: "West",
      division: "Pacific",
    });
    expect(toPlayer({ id: 1, first_name: "A", last_name: "B", team: LAL }).team).toEqual({
      id: 14,
      abbreviation: "LAL",
      full_name: "Los Angeles Lakers",
    });
  });

  it("gives a player's missing details as null, a missing position as empty, and no team key without a team", () => {
    const player = toPlayer({ id: 1, first_name: "A", last_name: "B", team: null });
    expect(player).toEqual({
      id: 1,
      first_name: "A",
      last_name: "B",
      position: "",
      height: null,
      weight: null,
      jersey_number: null,
      college: null,
      country: null,
      draft_year: null,
    });
    expect("team" in player).toBe(false);
  });

  it("keeps only the day of a game's date", () => {
    const game = toGame({
      ...stat({}).game,
      date: "2024-01-05T00:00:00.000Z",
      home_team: LAL,
      visitor_team: { ...LAL, id: 2, abbreviation: "BOS", full_name: "Boston Celtics" },
    });
    expect(game.date).toBe("2024-01-05");
    expect(game.visitor_team.abbreviation).toBe("BOS");
  });
});

describe("toStatLine", () => {
  const abbreviations = new Map([
    [2, "BOS"],
    [14, "LAL"],
  ]);

  it("names the opponent from the game's team ids and the team list", () => {
    const line = toStatLine(stat({ home_team_id: 14, visitor_team_id: 2 }), abbreviations);
    expect(line).toMatchObject({
      id: 5001,
      game_id: 1001,
      date: "2024-01-05",
      season: 2023,
      player_id: 237,
      player_name: "LeBron James",
      team: "LAL",
      opponent: "BOS",
      min: 36.5,
      pts: 27,
      fg3_pct: 0.333,
    });
  });

  it("names the opponent from the game's teams when it has no ids", () => {
    const boston = { ...LAL, id: 2, abbreviation: "BOS" };
    const line = toStatLine(stat({ home_team: boston, visitor_team: LAL }), abbreviations);
    expect(line.opponent).toBe("BOS");
  });

  it("leaves the opponent empty when the game names no other team the list knows", () => {
    expect(toStatLine(stat({}), abbreviations).opponent).toBe("");
    expect(
      toStatLine(stat({ home_team_id: 14, visitor_team_id: 99 }), abbreviations).opponent,
    ).toBe("");
  });
});

describe("toSeasonAverage", () => {
  it("maps per-game averages, with minutes from mm:ss", () => {
    const average = toSeasonAverage(
      { ...BOX, player_id: 237, season: 2023, games_played: 71, min: "35:18" },
      2023,
    );
    expect(Object.keys(average).slice(0, 5)).toEqual([
      "player_id",
      "season",
      "games_played",
      "min",
      "pts",
    ]);
    expect(average).toMatchObject({ player_id: 237, season: 2023, games_played: 71, min: 35.3 });
    expect("player_name" in average).toBe(false);
  });

  it("uses the season asked for when the answer omits it", () => {
    const average = toSeasonAverage(
      { ...BOX, player_id: 237, season: null, games_played: null, min: null },
      2019,
    );
    expect(average).toMatchObject({ season: 2019, games_played: 0, min: 0 });
  });
});

describe("toPage", () => {
  it("gives next_cursor as a string cursor, and null when there is no next page", () => {
    const double = (n: number): number => n * 2;
    expect(toPage({ data: [1, 2], meta: { next_cursor: 237 } }, double)).toEqual({
      data: [2, 4],
      nextCursor: "237",
    });
    expect(toPage({ data: [1], meta: { next_cursor: null } }, double).nextCursor).toBeNull();
    expect(toPage({ data: [] }, double).nextCursor).toBeNull();
  });
});
