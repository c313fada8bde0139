import type {
  UpstreamBoxScore,
  UpstreamGame,
  UpstreamList,
  UpstreamPlayer,
  UpstreamSeasonAverage,
  UpstreamStat,
  UpstreamTeam,
} from "./balldontlie-types";
import type { Page } from "./stats-provider";
import type { BoxScore, Game, Player, SeasonAverage, StatLine, Team, TeamRef } from "./stats-types";

/** A finite number, or 0 for a missing one. */
export function count(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** A shooting percentage as 0-1 (0-100 values are scaled down); null when missing. */
export function ratio(value: number | null | undefined): number | null {
  if (typeof value !== "number") return null;
  return value > 1 ? Math.round(value * 10) / 1000 : value;
}

/** Minutes played, from "34:12", "34" or a number, to one decimal. */
export function minutes(value: string | number | null | undefined): number {
  if (typeof value === "number") return value;
  const [m, s] = (value ?? "0").split(":");
  return Math.round((Number(m) + Number(s ?? 0) / 60) * 10) / 10 || 0;
}

/** The YYYY-MM-DD part of a date or date-time. */
const day = (date: string): string => date.slice(0, 10);

/** Maps a team to the reference players and games carry. */
export function toTeamRef(team: UpstreamTeam): TeamRef {
  return { id: team.id, abbreviation: team.abbreviation, full_name: team.full_name };
}

/** Maps a team from /teams. */
export function toTeam(team: UpstreamTeam): Team {
  return {
    ...toTeamRef(team),
    city: team.city,
    name: team.name,
    conference: team.conference,
    division: team.division,
  };
}

/** Maps a player; missing details become null (position "") and a teamless player has no team. */
export function toPlayer(player: UpstreamPlayer): Player {
  return {
    id: player.id,
    first_name: player.first_name,
    last_name: player.last_name,
    position: player.position ?? "",
    height: player.height ?? null,
    weight: player.weight ?? null,
    jersey_number: player.jersey_number ?? null,
    college: player.college ?? null,
    country: player.country ?? null,
    draft_year: player.draft_year ?? null,
    ...(player.team ? { team: toTeamRef(player.team) } : {}),
  };
}

/** Maps a game from /games. */
export function toGame(game: UpstreamGame): Game {
  return {
    id: game.id,
    date: day(game.date),
    season: game.season,
    status: game.status,
    period: game.period,
    postseason: game.postseason,
    home_team: toTeamRef(game.home_team),
    home_team_score: game.home_team_score,
    visitor_team: toTeamRef(game.visitor_team),
    visitor_team_score: game.visitor_team_score,
  };
}

/** Maps box-score counts or averages: missing counts become 0, missing percentages null. */
export function toBoxScore(box: UpstreamBoxScore): BoxScore {
  return {
    pts: count(box.pts),
    reb: count(box.reb),
    ast: count(box.ast),
    stl: count(box.stl),
    blk: count(box.blk),
    turnover: count(box.turnover),
    pf: count(box.pf),
    fgm: count(box.fgm),
    fga: count(box.fga),
    fg_pct: ratio(box.fg_pct),
    fg3m: count(box.fg3m),
    fg3a: count(box.fg3a),
    fg3_pct: ratio(box.fg3_pct),
    ftm: count(box.ftm),
    fta: count(box.fta),
    ft_pct: ratio(box.ft_pct),
    oreb: count(box.oreb),
    dreb: count(box.dreb),
  };
}

/**
 * Maps a stat line; `abbreviations` (team id to abbreviation) names the opponent, since stat
 * lines carry only the game's team ids.
 */
export function toStatLine(
  stat: UpstreamStat,
  abbreviations: ReadonlyMap<number, string>,
): StatLine {
  const homeId = stat.game.home_team_id ?? stat.game.home_team?.id;
  const visitorId = stat.game.visitor_team_id ?? stat.game.visitor_team?.id;
  const opponentId = stat.team.id === homeId ? visitorId : homeId;
  return {
    id: stat.id,
    game_id: stat.game.id,
    date: day(stat.game.date),
    season: stat.game.season,
    player_id: stat.player.id,
    player_name: `${stat.player.first_name} ${stat.player.last_name}`,
    team: stat.team.abbreviation,
    opponent: (opponentId === undefined ? undefined : abbreviations.get(opponentId)) ?? "",
    min: minutes(stat.min),
    ...toBoxScore(stat),
  };
}

/** Maps season averages; `season` is the one asked for, used when the answer omits it. */
export function toSeasonAverage(average: UpstreamSeasonAverage, season: number): SeasonAverage {
  return {
    player_id: count(average.player_id),
    season: count(average.season) || season,
    games_played: count(average.games_played),
    min: minutes(average.min),
    ...toBoxScore(average),
  };
}

/** Maps a list answer to a page, its next_cursor (a number or string) as a string cursor. */
export function toPage<U, T>(body: UpstreamList<U>, map: (item: U) => T): Page<T> {
  const next = body.meta?.next_cursor;
  return {
    data: body.data.map((item) => map(item)),
    nextCursor: next === undefined || next === null ? null : String(next),
  };
}
