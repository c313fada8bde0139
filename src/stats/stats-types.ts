// The stats API's response shapes. Their JSDoc becomes the schema descriptions the model reads.

/** An integer id (teams, players, games). */
export type Id = number;

/** A team as referenced from players and games. */
export interface TeamRef {
  id: Id;
  /** Three-letter abbreviation, e.g. BOS. */
  abbreviation: string;
  /** e.g. Boston Celtics. */
  full_name: string;
}

/** A team. */
export interface Team extends TeamRef {
  city: string;
  /** Team name without the city, e.g. Celtics. */
  name: string;
  /** East or West. */
  conference: string;
  division: string;
}

/** A player. */
export interface Player {
  id: Id;
  first_name: string;
  last_name: string;
  /** G, F, C, or combinations such as G-F. */
  position: string;
  /** Feet-inches, e.g. 6-8. */
  height: string | null;
  /** Pounds. */
  weight: string | null;
  jersey_number: string | null;
  college: string | null;
  country: string | null;
  draft_year: number | null;
  /** The player's current team; absent for a player without one. */
  team?: TeamRef;
}

/** A game. */
export interface Game {
  id: Id;
  /** YYYY-MM-DD. */
  date: string;
  /** The year the season began: 2023 is the 2023-24 season. */
  season: number;
  /** e.g. Final. */
  status: string;
  /** Periods played: 4, or more after overtime. */
  period: number;
  postseason: boolean;
  home_team: TeamRef;
  home_team_score: number;
  visitor_team: TeamRef;
  visitor_team_score: number;
}

/** Box-score counts: for one game, or per-game averages. Percentages are 0-1, null without attempts. */
export interface BoxScore {
  pts: number;
  reb: number;
  ast: number;
  stl: number;
  blk: number;
  turnover: number;
  pf: number;
  fgm: number;
  fga: number;
  fg_pct: number | null;
  fg3m: number;
  fg3a: number;
  fg3_pct: number | null;
  ftm: number;
  fta: number;
  ft_pct: number | null;
  oreb: number;
  dreb: number;
}

/** One player's box score in one game. */
export interface StatLine extends BoxScore {
  id: Id;
  game_id: Id;
  /** Game date, YYYY-MM-DD. */
  date: string;
  season: number;
  player_id: Id;
  player_name: string;
  team: string;
  /** The other team's abbreviation. */
  opponent: string;
  /** Minutes played. */
  min: number;
}

/** A player's per-game averages over a regular season. */
export interface SeasonAverage extends BoxScore {
  player_id: Id;
  /** Absent when the source does not report names; get it with getPlayers. */
  player_name?: string;
  season: number;
  games_played: number;
  /** Minutes per game. */
  min: number;
}

/** Where a page of results ends. */
export interface PageMeta {
  /** Results on this page. */
  count: number;
  /** Pass as `cursor` to get the next page; null when this is the last page. */
  next_cursor: string | null;
  /** All matching results, when the source reports it. */
  total_count?: number;
  /** Says when there is more and how to get it. */
  note?: string;
  /** Where the data comes from, and whether it is real. */
  source: string;
}

export interface TeamList {
  data: Team[];
  meta: PageMeta;
}

export interface PlayerPage {
  data: Player[];
  meta: PageMeta;
}

export interface GamePage {
  data: Game[];
  meta: PageMeta;
}

export interface StatPage {
  data: StatLine[];
  meta: PageMeta;
}

export interface SeasonAverageList {
  data: SeasonAverage[];
  meta: PageMeta;
}
