import type { Game, Player, SeasonAverage, StatLine, Team } from "./stats-types";

/** A page request: how many, and where to continue (a cursor from a previous page). */
export interface PageRequest {
  limit: number;
  cursor: string | undefined;
}

/** A page of results. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  totalCount?: number;
}

/** An inclusive range of game dates, YYYY-MM-DD; either end may be open. */
export interface DateRange {
  startDate: string | undefined;
  endDate: string | undefined;
}

export interface GameFilter extends PageRequest, DateRange {
  seasons: number[];
  teamIds: number[];
}

export interface StatFilter extends PageRequest, DateRange {
  playerIds: number[];
  gameIds: number[];
}

/**
 * Where basketball stats come from: the embedded dataset or the balldontlie API. Providers
 * throw `HttpError`s the model can act on (400 for a cursor they did not issue, 502/504 when an
 * upstream fails).
 */
export interface StatsProvider {
  /** Says where the data comes from and whether it is real; sent with every response. */
  readonly source: string;
  /** The season that "current" means. */
  currentSeason(): Promise<number>;
  players(query: string | undefined, page: PageRequest): Promise<Page<Player>>;
  teams(): Promise<Team[]>;
  games(filter: GameFilter): Promise<Page<Game>>;
  stats(filter: StatFilter): Promise<Page<StatLine>>;
  seasonAverages(season: number, playerIds: number[]): Promise<SeasonAverage[]>;
}
