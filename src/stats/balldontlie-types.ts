// What the balldontlie API (v1) returns: https://docs.balldontlie.io. Fields the plugin does
// not read are left out.

export interface UpstreamTeam {
  id: number;
  abbreviation: string;
  city: string;
  conference: string;
  division: string;
  full_name: string;
  name: string;
}

export interface UpstreamPlayer {
  id: number;
  first_name: string;
  last_name: string;
  position?: string | null;
  height?: string | null;
  weight?: string | null;
  jersey_number?: string | null;
  college?: string | null;
  country?: string | null;
  draft_year?: number | null;
  team?: UpstreamTeam | null;
  team_id?: number;
}

interface UpstreamGameFields {
  id: number;
  /** YYYY-MM-DD, or an ISO date-time inside /stats answers. */
  date: string;
  season: number;
  status: string;
  period: number;
  postseason: boolean;
  home_team_score: number;
  visitor_team_score: number;
}

/** A game from /games, with both teams. */
export interface UpstreamGame extends UpstreamGameFields {
  home_team: UpstreamTeam;
  visitor_team: UpstreamTeam;
}

/** A game inside a /stats answer, which carries team ids rather than teams. */
export interface UpstreamStatGame extends UpstreamGameFields {
  home_team_id?: number;
  visitor_team_id?: number;
  home_team?: UpstreamTeam;
  visitor_team?: UpstreamTeam;
}

/** Box-score counts, or per-game averages; percentages are 0-1 or, in some answers, 0-100. */
export interface UpstreamBoxScore {
  pts: number | null;
  reb: number | null;
  ast: number | null;
  stl: number | null;
  blk: number | null;
  turnover: number | null;
  pf: number | null;
  fgm: number | null;
  fga: number | null;
  fg_pct: number | null;
  fg3m: number | null;
  fg3a: number | null;
  fg3_pct: number | null;
  ftm: number | null;
  fta: number | null;
  ft_pct: number | null;
  oreb: number | null;
  dreb: number | null;
}

/** One player's box score in one game, from /stats. */
export interface UpstreamStat extends UpstreamBoxScore {
  id: number;
  /** "34:12" or "34". */
  min: string | null;
  player: UpstreamPlayer;
  team: UpstreamTeam;
  game: UpstreamStatGame;
}

/** One player's per-game averages over a season, from /season_averages. */
export interface UpstreamSeasonAverage extends UpstreamBoxScore {
  player_id: number | null;
  season: number | null;
  games_played: number | null;
  /** "34:12", "34" or a number of minutes. */
  min: string | number | null;
}

/** A list answer, with a cursor to the next page when there is one. */
export interface UpstreamList<T> {
  data: T[];
  meta?: { next_cursor?: number | string | null; per_page?: number };
}
