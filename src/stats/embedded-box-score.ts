import type { BoxScore } from "./stats-types";

/** A BoxScore field other than a shooting percentage. */
type BoxScoreCount = Exclude<keyof BoxScore, "fg_pct" | "fg3_pct" | "ft_pct">;

// Each count as an expression over stats_lines `s`: points and rebounds are derived, so they
// always add up.
const COUNT_EXPRESSIONS: Record<BoxScoreCount, string> = {
  pts: "2 * s.fgm + s.fg3m + s.ftm",
  reb: "s.oreb + s.dreb",
  ast: "s.ast",
  stl: "s.stl",
  blk: "s.blk",
  turnover: "s.turnover",
  pf: "s.pf",
  fgm: "s.fgm",
  fga: "s.fga",
  fg3m: "s.fg3m",
  fg3a: "s.fg3a",
  ftm: "s.ftm",
  fta: "s.fta",
  oreb: "s.oreb",
  dreb: "s.dreb",
};

// Shooting percentages come from made and attempted totals, not from averaging percentages.
const SHOT_TOTALS = {
  fg_made: "s.fgm",
  fg_attempted: "s.fga",
  fg3_made: "s.fg3m",
  fg3_attempted: "s.fg3a",
  ft_made: "s.ftm",
  ft_attempted: "s.fta",
} as const;

/** The box-score columns {@link boxScoreColumns} selects: counts (or averages) and shot totals. */
export type BoxScoreRow = Record<BoxScoreCount | keyof typeof SHOT_TOTALS, number>;

/**
 * The select list for a {@link BoxScoreRow} over stats_lines `s`: one game's values, or per
 * player per-game averages (with season shot totals) for a GROUP BY query.
 */
export function boxScoreColumns(over: "game" | "season"): string {
  const count = (expression: string): string =>
    over === "game" ? expression : `avg(${expression})`;
  const total = (expression: string): string =>
    over === "game" ? expression : `sum(${expression})`;
  return [
    ...Object.entries(COUNT_EXPRESSIONS).map(([name, sql]) => `${count(sql)} AS ${name}`),
    ...Object.entries(SHOT_TOTALS).map(([name, sql]) => `${total(sql)} AS ${name}`),
  ].join(", ");
}

/** Made over attempted, to three decimals; null without attempts. */
export function shootingPct(made: number, attempted: number): number | null {
  return attempted === 0 ? null : Math.round((made / attempted) * 1000) / 1000;
}

/** Rounds to one decimal, as per-game averages are reported. */
export function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Maps a {@link BoxScoreRow} to a BoxScore; a single game's whole numbers are left as they are. */
export function toBoxScore(row: BoxScoreRow): BoxScore {
  return {
    pts: oneDecimal(row.pts),
    reb: oneDecimal(row.reb),
    ast: oneDecimal(row.ast),
    stl: oneDecimal(row.stl),
    blk: oneDecimal(row.blk),
    turnover: oneDecimal(row.turnover),
    pf: oneDecimal(row.pf),
    fgm: oneDecimal(row.fgm),
    fga: oneDecimal(row.fga),
    fg_pct: shootingPct(row.fg_made, row.fg_attempted),
    fg3m: oneDecimal(row.fg3m),
    fg3a: oneDecimal(row.fg3a),
    fg3_pct: shootingPct(row.fg3_made, row.fg3_attempted),
    ftm: oneDecimal(row.ftm),
    fta: oneDecimal(row.fta),
    ft_pct: shootingPct(row.ft_made, row.ft_attempted),
    oreb: oneDecimal(row.oreb),
    dreb: oneDecimal(row.dreb),
  };
}
