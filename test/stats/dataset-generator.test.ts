import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { generateStatsDataset, SEED } from "../../scripts/generate-stats-dataset";
import { DATASET_COLUMNS } from "../../src/stats/dataset-format";

// The generator must do no I/O: the file-system and gzip calls its module makes in main() are
// replaced (vi.mock is hoisted above the imports) by spies that must stay unused, both on
// import and when generating.
vi.mock("node:fs", () => ({ mkdirSync: vi.fn(), writeFileSync: vi.fn() }));
vi.mock("node:zlib", () => ({ gzipSync: vi.fn() }));

describe("generateStatsDataset", () => {
  it("writes nothing, compresses nothing and prints nothing, on import or when called", () => {
    const log = vi.spyOn(console, "log");
    try {
      generateStatsDataset(SEED);
      expect(fs.mkdirSync).not.toHaveBeenCalled();
      expect(fs.writeFileSync).not.toHaveBeenCalled();
      expect(zlib.gzipSync).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  it("gives the same dataset for the same seed", () => {
    expect(JSON.stringify(generateStatsDataset(SEED))).toBe(
      JSON.stringify(generateStatsDataset(SEED)),
    );
  });

  it("gives a different season for a different seed, naming the seed in its source", () => {
    const other = generateStatsDataset(SEED + 1);
    const base = generateStatsDataset(SEED);
    expect(other.games).not.toEqual(base.games);
    expect(other.players).not.toEqual(base.players);
    expect(other.teams).toEqual(base.teams);
    expect(other.source).toContain(`seed ${SEED + 1}.`);
  });

  it("returns fresh rows, so changing one result leaves the next alone", () => {
    const first = generateStatsDataset(SEED);
    const [team] = first.teams;
    if (team !== undefined) team[1] = "XXX";
    expect(generateStatsDataset(SEED).teams[0]?.[1]).toBe("ATL");
  });

  it("lists the shared columns and gives every row one value per column", () => {
    const dataset = generateStatsDataset(SEED);
    expect(dataset.columns).toEqual(DATASET_COLUMNS);
    for (const table of ["teams", "players", "games", "stats"] as const) {
      const lengths = new Set(dataset[table].map((row) => row.length));
      expect([...lengths], table).toEqual([DATASET_COLUMNS[table].length]);
    }
  });

  it("gives every team 82 games and box scores that add up to the final scores", () => {
    const dataset = generateStatsDataset(SEED);
    expect(dataset.games).toHaveLength(1230);
    const gamesPerTeam = new Map<number, number>();
    for (const [, , home, visitor] of dataset.games) {
      for (const team of [home, visitor]) gamesPerTeam.set(team, (gamesPerTeam.get(team) ?? 0) + 1);
    }
    expect(new Set(gamesPerTeam.values())).toEqual(new Set([82]));
    expect(gamesPerTeam.size).toBe(30);
    const points = new Map<string, number>();
    for (const [gameId, , teamId, , fgm, , fg3m, , ftm] of dataset.stats) {
      const key = `${gameId}:${teamId}`;
      points.set(key, (points.get(key) ?? 0) + 2 * fgm + fg3m + ftm);
    }
    for (const [id, , home, visitor, homeScore, visitorScore] of dataset.games) {
      expect(points.get(`${id}:${home}`)).toBe(homeScore);
      expect(points.get(`${id}:${visitor}`)).toBe(visitorScore);
      expect(homeScore).not.toBe(visitorScore);
    }
  });
});
