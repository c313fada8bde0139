import { describe, expect, it } from "vitest";
import {
  boxScoreColumns,
  oneDecimal,
  shootingPct,
  toBoxScore,
  type BoxScoreRow,
} from "../../src/stats/embedded-box-score";

const row = (overrides: Partial<BoxScoreRow> = {}): BoxScoreRow => ({
  pts: 0,
  reb: 0,
  ast: 0,
  stl: 0,
  blk: 0,
  turnover: 0,
  pf: 0,
  fgm: 0,
  fga: 0,
  fg3m: 0,
  fg3a: 0,
  ftm: 0,
  fta: 0,
  oreb: 0,
  dreb: 0,
  fg_made: 0,
  fg_attempted: 0,
  fg3_made: 0,
  fg3_attempted: 0,
  ft_made: 0,
  ft_attempted: 0,
  ...overrides,
});

describe("boxScoreColumns", () => {
  it("selects one game's values, with points and rebounds derived from their parts", () => {
    const columns = boxScoreColumns("game");
    expect(columns).toContain("2 * s.fgm + s.fg3m + s.ftm AS pts");
    expect(columns).toContain("s.oreb + s.dreb AS reb");
    expect(columns).toContain("s.fga AS fg_attempted");
    expect(columns).not.toMatch(/avg|sum/);
  });

  it("selects per-game averages of the counts and season totals of the shots", () => {
    const columns = boxScoreColumns("season");
    expect(columns).toContain("avg(2 * s.fgm + s.fg3m + s.ftm) AS pts");
    expect(columns).toContain("avg(s.ast) AS ast");
    expect(columns).toContain("sum(s.fgm) AS fg_made");
    expect(columns).toContain("sum(s.fta) AS ft_attempted");
  });

  it("selects every column a BoxScoreRow has, once", () => {
    const names = boxScoreColumns("game")
      .split(", ")
      .map((column) => column.split(" AS ")[1]);
    expect(names.sort()).toEqual(Object.keys(row()).sort());
  });
});

describe("shootingPct and oneDecimal", () => {
  it("gives made over attempted to three decimals, and null without attempts", () => {
    expect([shootingPct(1, 3), shootingPct(5, 11), shootingPct(0, 0)]).toEqual([
      0.333,
      0.455,
      null,
    ]);
  });

  it("rounds to one decimal and leaves whole numbers alone", () => {
    expect([oneDecimal(8.25), oneDecimal(35.333), oneDecimal(27)]).toEqual([8.3, 35.3, 27]);
  });
});

describe("toBoxScore", () => {
  it("leaves a single game's whole numbers as they are", () => {
    const box = toBoxScore(
      row({ pts: 27, reb: 8, fgm: 10, fga: 20, fg_made: 10, fg_attempted: 20, dreb: 7, oreb: 1 }),
    );
    expect(box).toMatchObject({ pts: 27, reb: 8, fgm: 10, fga: 20, fg_pct: 0.5, oreb: 1, dreb: 7 });
  });

  it("rounds averages to one decimal and takes percentages from the totals, not the averages", () => {
    const box = toBoxScore(
      row({ pts: 8.5, ast: 3.3333, fgm: 2.5, fga: 5.5, fg_made: 5, fg_attempted: 11 }),
    );
    expect(box).toMatchObject({ pts: 8.5, ast: 3.3, fgm: 2.5, fga: 5.5, fg_pct: 0.455 });
  });

  it("gives null percentages without attempts, in the BoxScore's field order", () => {
    const box = toBoxScore(row());
    expect([box.fg_pct, box.fg3_pct, box.ft_pct]).toEqual([null, null, null]);
    expect(Object.keys(box)).toEqual([
      "pts",
      "reb",
      "ast",
      "stl",
      "blk",
      "turnover",
      "pf",
      "fgm",
      "fga",
      "fg_pct",
      "fg3m",
      "fg3a",
      "fg3_pct",
      "ftm",
      "fta",
      "ft_pct",
      "oreb",
      "dreb",
    ]);
  });
});
