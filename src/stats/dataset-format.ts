// The embedded stats dataset: the rows of the stats tables, and the file format that
// scripts/generate-stats-dataset.ts writes and the embedded provider loads.

/** A row of stats_teams. */
export interface TeamRow {
  id: number;
  abbreviation: string;
  city: string;
  name: string;
  conference: string;
  division: string;
}

/** A row of stats_players. */
export interface PlayerRow {
  id: number;
  first_name: string;
  last_name: string;
  position: string;
  height: string | null;
  weight: string | null;
  jersey_number: string | null;
  college: string | null;
  country: string | null;
  draft_year: number | null;
  team_id: number | null;
}

/** A row of stats_games. */
export interface GameRow {
  id: number;
  date: string;
  season: number;
  home_team_id: number;
  visitor_team_id: number;
  home_team_score: number;
  visitor_team_score: number;
  period: number;
  /** 1 for a postseason game, else 0. */
  postseason: number;
}

/** A row of stats_lines: one player's box score in one game. */
export interface StatLineRow {
  id: number;
  game_id: number;
  player_id: number;
  team_id: number;
  min: number;
  fgm: number;
  fga: number;
  fg3m: number;
  fg3a: number;
  ftm: number;
  fta: number;
  oreb: number;
  dreb: number;
  ast: number;
  stl: number;
  blk: number;
  turnover: number;
  pf: number;
}

/**
 * The columns of each table's rows in the dataset file, in order. Games get their season from
 * the file's `season`, and stat lines their id from the database.
 */
export const DATASET_COLUMNS = {
  teams: ["id", "abbreviation", "city", "name", "conference", "division"],
  players: [
    "id",
    "first_name",
    "last_name",
    "position",
    "height",
    "weight",
    "jersey_number",
    "college",
    "country",
    "draft_year",
    "team_id",
  ],
  games: [
    "id",
    "date",
    "home_team_id",
    "visitor_team_id",
    "home_team_score",
    "visitor_team_score",
    "period",
  ],
  stats: [
    "game_id",
    "player_id",
    "team_id",
    "min",
    "fgm",
    "fga",
    "fg3m",
    "fg3a",
    "ftm",
    "fta",
    "oreb",
    "dreb",
    "ast",
    "stl",
    "blk",
    "turnover",
    "pf",
  ],
} as const satisfies {
  teams: readonly (keyof TeamRow)[];
  players: readonly (keyof PlayerRow)[];
  games: readonly (keyof GameRow)[];
  stats: readonly (keyof StatLineRow)[];
};

/** The tuple of `Row`'s values in the order `Columns` lists them. */
type TupleOf<Row, Columns extends readonly (keyof Row)[]> = {
  -readonly [I in keyof Columns]: Row[Columns[I]];
};

export type TeamTuple = TupleOf<TeamRow, typeof DATASET_COLUMNS.teams>;
export type PlayerTuple = TupleOf<PlayerRow, typeof DATASET_COLUMNS.players>;
export type GameTuple = TupleOf<GameRow, typeof DATASET_COLUMNS.games>;
export type StatTuple = TupleOf<StatLineRow, typeof DATASET_COLUMNS.stats>;

/** The dataset file (gzipped JSON), in the key order the generator writes it. */
export interface StatsDataset {
  name: string;
  description: string;
  source: string;
  license: string;
  /** The season every game belongs to, the year it began. */
  season: number;
  columns: typeof DATASET_COLUMNS;
  teams: TeamTuple[];
  players: PlayerTuple[];
  games: GameTuple[];
  stats: StatTuple[];
}
