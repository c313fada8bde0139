import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATASET_COLUMNS, type StatsDataset } from "../../src/stats/dataset-format";
import {
  createEmbeddedStatsProvider,
  loadEmbeddedDataset,
} from "../../src/stats/embedded-provider";
import type { StatsProvider } from "../../src/stats/stats-provider";
import type Database from "better-sqlite3";
import { openStatsDatabase } from "../../src/services";

// A dataset small enough to check by hand: two teams, three players (one teamless), two games.
const DATASET: StatsDataset = {
  name: "tiny",
  description: "SYNTHETIC test data.",
  source: "This test.",
  license: "CC0-1.0.",
  season: 2023,
  columns: DATASET_COLUMNS,
  teams: [
    [1, "AAA", "Alpha", "Ants", "East", "Atlantic"],
    [2, "BBB", "Beta", "Bees", "West", "Pacific"],
  ],
  players: [
    [1, "Ann", "Archer", "G", "6-2", "190", "1", "Northfield", "USA", 2015, 1],
    [2, "Bob", "Baker", "C", "7-0", "250", "2", null, null, null, 2],
    [3, "Cy", "Cole", "F", null, null, null, null, null, null, null],
  ],
  games: [
    [1, "2023-10-24", 1, 2, 10, 8, 4],
    [2, "2023-11-02", 2, 1, 5, 7, 5],
  ],
  // game, player, team, min, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, ast, stl, blk, tov, pf
  stats: [
    [1, 1, 1, 30, 3, 6, 1, 2, 3, 4, 1, 4, 5, 1, 0, 2, 3],
    [1, 2, 2, 35, 3, 5, 0, 0, 2, 2, 3, 9, 1, 0, 3, 1, 4],
    [2, 1, 1, 34, 2, 5, 1, 3, 2, 2, 0, 3, 6, 2, 0, 3, 2],
    [2, 2, 2, 33, 2, 4, 0, 0, 1, 3, 2, 8, 2, 1, 2, 2, 5],
  ],
};

let dir: string;
let file: string;
let db: Database.Database;
let provider: StatsProvider;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-embedded-"));
  file = join(dir, "tiny.json.gz");
  writeFileSync(file, gzipSync(JSON.stringify(DATASET)));
  db = openStatsDatabase();
  provider = createEmbeddedStatsProvider(db, file);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const page = { limit: 25, cursor: undefined };
const noFilter = { startDate: undefined, endDate: undefined, ...page };

describe("the embedded provider on a dataset file", () => {
  it("loads each table's rows by the shared column lists", async () => {
    expect(await provider.teams()).toEqual([
      {
        id: 1,
        abbreviation: "AAA",
        full_name: "Alpha Ants",
        city: "Alpha",
        name: "Ants",
        conference: "East",
        division: "Atlantic",
      },
      {
        id: 2,
        abbreviation: "BBB",
        full_name: "Beta Bees",
        city: "Beta",
        name: "Bees",
        conference: "West",
        division: "Pacific",
      },
    ]);
    const players = (await provider.players(undefined, page)).data;
    expect(players.find((p) => p.id === 1)).toEqual({
      id: 1,
      first_name: "Ann",
      last_name: "Archer",
      position: "G",
      height: "6-2",
      weight: "190",
      jersey_number: "1",
      college: "Northfield",
      country: "USA",
      draft_year: 2015,
      team: { id: 1, abbreviation: "AAA", full_name: "Alpha Ants" },
    });
    expect(await provider.currentSeason()).toBe(2023);
    expect(provider.source).toBe("SYNTHETIC test data. Source: This test. License: CC0-1.0.");
  });

  it("gives a player without a team no team key", async () => {
    const [cole] = (await provider.players("cole", page)).data;
    expect(cole?.id).toBe(3);
    expect(cole !== undefined && "team" in cole).toBe(false);
  });

  it("gives games the file's season, both teams and their scores", async () => {
    const { data, totalCount } = await provider.games({ ...noFilter, seasons: [], teamIds: [] });
    expect(totalCount).toBe(2);
    expect(data[1]).toEqual({
      id: 2,
      date: "2023-11-02",
      season: 2023,
      status: "Final",
      period: 5,
      postseason: false,
      home_team: { id: 2, abbreviation: "BBB", full_name: "Beta Bees" },
      home_team_score: 5,
      visitor_team: { id: 1, abbreviation: "AAA", full_name: "Alpha Ants" },
      visitor_team_score: 7,
    });
  });

  it("filters games and stat lines by an inclusive date range", async () => {
    const games = await provider.games({
      ...noFilter,
      startDate: "2023-11-02",
      endDate: "2023-11-02",
      seasons: [],
      teamIds: [],
    });
    expect(games.data.map((g) => g.id)).toEqual([2]);
    const lines = await provider.stats({
      ...noFilter,
      endDate: "2023-10-24",
      playerIds: [],
      gameIds: [],
    });
    expect(lines.data.map((l) => [l.game_id, l.player_id])).toEqual([
      [1, 1],
      [1, 2],
    ]);
  });

  it("derives a stat line's points and rebounds and names both teams", async () => {
    const { data } = await provider.stats({ ...noFilter, playerIds: [2], gameIds: [1] });
    expect(data).toEqual([
      {
        id: 2,
        game_id: 1,
        date: "2023-10-24",
        season: 2023,
        player_id: 2,
        player_name: "Bob Baker",
        team: "BBB",
        opponent: "AAA",
        min: 35,
        pts: 8,
        reb: 12,
        ast: 1,
        stl: 0,
        blk: 3,
        turnover: 1,
        pf: 4,
        fgm: 3,
        fga: 5,
        fg_pct: 0.6,
        fg3m: 0,
        fg3a: 0,
        fg3_pct: null,
        ftm: 2,
        fta: 2,
        ft_pct: 1,
        oreb: 3,
        dreb: 9,
      },
    ]);
  });

  it("averages per game, with shooting percentages from the season's totals", async () => {
    const [ann] = await provider.seasonAverages(2023, [1]);
    expect(ann).toMatchObject({
      player_id: 1,
      player_name: "Ann Archer",
      season: 2023,
      games_played: 2,
      min: 32,
      pts: 8.5,
      reb: 4,
      ast: 5.5,
      fgm: 2.5,
      fga: 5.5,
      // 5 of 11, not the mean of 3/6 and 2/5.
      fg_pct: 0.455,
      fg3_pct: 0.4,
      ft_pct: 0.833,
    });
  });

  it("does not reload a file it has already loaded, by its hash", async () => {
    await provider.teams();
    db.prepare("UPDATE stats_teams SET name = 'Changed' WHERE id = 1").run();
    expect(loadEmbeddedDataset(db, file).season).toBe(2023);
    expect(db.prepare("SELECT name FROM stats_teams WHERE id = 1").get()).toEqual({
      name: "Changed",
    });
  });
});
