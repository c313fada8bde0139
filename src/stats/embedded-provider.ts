import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type Database from "better-sqlite3";
import { BadRequestError } from "plugkit";
import {
  DATASET_COLUMNS,
  type GameRow,
  type PlayerRow,
  type StatsDataset,
  type TeamRow,
} from "./dataset-format";
import { boxScoreColumns, oneDecimal, toBoxScore, type BoxScoreRow } from "./embedded-box-score";
import {
  dateRangeConditions,
  inAny,
  placeholders,
  whereClause,
  type SqlCondition,
  type SqlValue,
} from "./sql-conditions";
import type { Page, PageRequest, StatsProvider } from "./stats-provider";
import type { Game, Player, SeasonAverage, StatLine, Team, TeamRef } from "./stats-types";

/** What the stats tables hold, once loaded. */
interface LoadedDataset {
  /** Says that the data is synthetic, where it comes from and its license. */
  source: string;
  season: number;
}

/** A row of stats_meta. */
interface MetaRow {
  key: string;
  value: string;
}

/** The row of a `count(*) AS n` query. */
interface CountRow {
  n: number;
}

/** A row of the stats query: the line, its game's date and teams, and the player's name. */
interface StatLineQueryRow extends BoxScoreRow {
  id: number;
  game_id: number;
  player_id: number;
  team_id: number;
  min: number;
  date: string;
  season: number;
  home_team_id: number;
  visitor_team_id: number;
  first_name: string;
  last_name: string;
}

/** A row of the season averages query: one player's per-game averages. */
interface SeasonAverageQueryRow extends BoxScoreRow {
  player_id: number;
  first_name: string;
  last_name: string;
  games_played: number;
  min: number;
}

// Children before parents, so that deleting never breaks a reference.
const STATS_TABLES = ["stats_lines", "stats_games", "stats_players", "stats_teams", "stats_meta"];

/** Inserts rows whose values come in the order `columns` lists them. */
function insertRows(
  db: Database.Database,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): void {
  const statement = db.prepare(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${placeholders(columns.length)})`,
  );
  for (const row of rows) statement.run(...row);
}

/** Replaces the stats tables' contents with the dataset's; `hash` identifies the file. */
function replaceDataset(db: Database.Database, dataset: StatsDataset, hash: string): LoadedDataset {
  for (const table of STATS_TABLES) db.prepare(`DELETE FROM ${table}`).run();
  const season = Math.trunc(dataset.season);
  insertRows(db, "stats_teams", DATASET_COLUMNS.teams, dataset.teams);
  insertRows(db, "stats_players", DATASET_COLUMNS.players, dataset.players);
  insertRows(
    db,
    "stats_games",
    [...DATASET_COLUMNS.games, "season"],
    dataset.games.map((game) => [...game, season]),
  );
  insertRows(db, "stats_lines", DATASET_COLUMNS.stats, dataset.stats);
  db.prepare(
    "UPDATE stats_lines SET date = (SELECT g.date FROM stats_games g WHERE g.id = stats_lines.game_id)",
  ).run();
  const result: LoadedDataset = {
    source: `${dataset.description} Source: ${dataset.source} License: ${dataset.license}`,
    season: dataset.season,
  };
  const set = db.prepare("INSERT INTO stats_meta (key, value) VALUES (?, ?)");
  set.run("dataset_sha256", hash);
  set.run("dataset_name", dataset.name);
  set.run("current_season", String(dataset.season));
  set.run("source", result.source);
  return result;
}

/**
 * Loads the dataset into the stats tables unless this exact file (by SHA-256) is already
 * there, and returns its description. Runs in one IMMEDIATE transaction, so concurrent starts
 * load it once; a loaded file costs one read and hash, not a parse.
 */
export function loadEmbeddedDataset(db: Database.Database, file: string): LoadedDataset {
  const bytes = readFileSync(file);
  const hash = createHash("sha256").update(bytes).digest("hex");
  const meta = db.prepare<[], MetaRow>("SELECT key, value FROM stats_meta");
  const current = (): LoadedDataset | undefined => {
    const values = new Map(meta.all().map((row) => [row.key, row.value]));
    return values.get("dataset_sha256") === hash
      ? { source: values.get("source") ?? "", season: Number(values.get("current_season")) }
      : undefined;
  };
  return (
    current() ??
    db
      .transaction(
        (): LoadedDataset =>
          current() ??
          replaceDataset(db, JSON.parse(gunzipSync(bytes).toString("utf8")) as StatsDataset, hash),
      )
      .immediate()
  );
}

/** Offsets are this provider's cursors. */
function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,9}$/.test(cursor)) {
    throw new BadRequestError(
      `cursor ${JSON.stringify(cursor.slice(0, 40))} is not one this API returned; omit it to start from the first page.`,
      {
        code: "validation_failed",
        fields: {
          cursor: { message: "cursor must be a meta.next_cursor value from a previous response" },
        },
      },
    );
  }
  return Number(cursor);
}

function page<T>(rows: T[], request: PageRequest, total: number): Page<T> {
  const offset = offsetOf(request.cursor);
  const next = offset + rows.length;
  return { data: rows, nextCursor: next < total ? String(next) : null, totalCount: total };
}

function toTeamRef(team: TeamRow): TeamRef {
  return { id: team.id, abbreviation: team.abbreviation, full_name: `${team.city} ${team.name}` };
}

function toTeam(team: TeamRow): Team {
  return {
    ...toTeamRef(team),
    city: team.city,
    name: team.name,
    conference: team.conference,
    division: team.division,
  };
}

function toPlayer(row: PlayerRow, team: TeamRef | undefined): Player {
  return {
    id: row.id,
    first_name: row.first_name,
    last_name: row.last_name,
    position: row.position,
    height: row.height,
    weight: row.weight,
    jersey_number: row.jersey_number,
    college: row.college,
    country: row.country,
    draft_year: row.draft_year,
    ...(team === undefined ? {} : { team }),
  };
}

function toGame(row: GameRow, teamRef: (id: number) => TeamRef): Game {
  return {
    id: row.id,
    date: row.date,
    season: row.season,
    status: "Final",
    period: row.period,
    postseason: row.postseason === 1,
    home_team: teamRef(row.home_team_id),
    home_team_score: row.home_team_score,
    visitor_team: teamRef(row.visitor_team_id),
    visitor_team_score: row.visitor_team_score,
  };
}

function toStatLine(row: StatLineQueryRow, abbreviation: (teamId: number) => string): StatLine {
  const opponentId = row.team_id === row.home_team_id ? row.visitor_team_id : row.home_team_id;
  return {
    id: row.id,
    game_id: row.game_id,
    date: row.date,
    season: row.season,
    player_id: row.player_id,
    player_name: `${row.first_name} ${row.last_name}`,
    team: abbreviation(row.team_id),
    opponent: abbreviation(opponentId),
    min: row.min,
    ...toBoxScore(row),
  };
}

function toSeasonAverage(row: SeasonAverageQueryRow, season: number): SeasonAverage {
  return {
    player_id: row.player_id,
    player_name: `${row.first_name} ${row.last_name}`,
    season,
    games_played: row.games_played,
    min: oneDecimal(row.min),
    ...toBoxScore(row),
  };
}

/** Matches players with every word (at most five) in their first or last name. */
function nameConditions(query: string | undefined): SqlCondition[] {
  const words = (query ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 5);
  return words.map((word) => {
    const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return {
      sql: "(first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\')",
      args: [like, like],
    };
  });
}

/** A stat line's columns, in the order {@link statLineRow} reads them. */
const STAT_LINE_COLUMNS = [
  "s.id",
  "s.game_id",
  "s.player_id",
  "s.team_id",
  "s.min",
  "g.date",
  "g.season",
  "g.home_team_id",
  "g.visitor_team_id",
  "p.first_name",
  "p.last_name",
  "s.fgm",
  "s.fga",
  "s.fg3m",
  "s.fg3a",
  "s.ftm",
  "s.fta",
  "s.oreb",
  "s.dreb",
  "s.ast",
  "s.stl",
  "s.blk",
  "s.turnover",
  "s.pf",
] as const;

/**
 * A row of {@link STAT_LINE_COLUMNS} as the query row the mapping takes, with points and
 * rebounds derived as `boxScoreColumns` derives them in SQL.
 */
function statLineRow(row: unknown[]): StatLineQueryRow {
  const n = (i: number): number => row[i] as number;
  const text = (i: number): string => row[i] as string;
  const [fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb] = [11, 12, 13, 14, 15, 16, 17, 18].map(n) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    id: n(0),
    game_id: n(1),
    player_id: n(2),
    team_id: n(3),
    min: n(4),
    date: text(5),
    season: n(6),
    home_team_id: n(7),
    visitor_team_id: n(8),
    first_name: text(9),
    last_name: text(10),
    pts: 2 * fgm + fg3m + ftm,
    reb: oreb + dreb,
    ast: n(19),
    stl: n(20),
    blk: n(21),
    turnover: n(22),
    pf: n(23),
    fgm,
    fga,
    fg3m,
    fg3a,
    ftm,
    fta,
    oreb,
    dreb,
    fg_made: fgm,
    fg_attempted: fga,
    fg3_made: fg3m,
    fg3_attempted: fg3a,
    ft_made: ftm,
    ft_attempted: fta,
  };
}

const STAT_LINES_FROM =
  "FROM stats_lines s JOIN stats_games g ON g.id = s.game_id JOIN stats_players p ON p.id = s.player_id";

/** The loaded dataset and its teams, by id. */
interface EmbeddedState {
  dataset: LoadedDataset;
  teamRows: TeamRow[];
  teams: Map<number, TeamRow>;
}

/**
 * Answers from the embedded dataset in SQLite: every operation works offline, and the source
 * line of every response says the data is synthetic. The dataset is loaded on the first
 * question, so it costs nothing at start-up.
 */
export function createEmbeddedStatsProvider(
  db: Database.Database,
  datasetFile: string,
): StatsProvider {
  let state: EmbeddedState | undefined;
  const ready = (): EmbeddedState => {
    if (state === undefined) {
      const dataset = loadEmbeddedDataset(db, datasetFile);
      const teamRows = db.prepare<[], TeamRow>("SELECT * FROM stats_teams ORDER BY id").all();
      state = { dataset, teamRows, teams: new Map(teamRows.map((t) => [t.id, t])) };
    }
    return state;
  };
  const teamRef = (id: number): TeamRef => {
    const team = ready().teams.get(id);
    if (team === undefined) throw new Error(`stats_teams has no team ${id}`);
    return toTeamRef(team);
  };
  const abbreviation = (id: number): string => ready().teams.get(id)?.abbreviation ?? "";

  // Compiling a statement cost more than running it (0.28 ms a stats page, most of it
  // prepare): statements are kept by their SQL, which varies only with the filters' shape.
  const statements = new Map<string, Database.Statement<SqlValue[]>>();
  const prepared = <Row>(sql: string): Database.Statement<SqlValue[], Row> => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      if (statements.size >= 500) statements.clear();
      statement = db.prepare<SqlValue[]>(sql);
      statements.set(sql, statement);
    }
    return statement as Database.Statement<SqlValue[], Row>;
  };
  // The dataset never changes once loaded, so a count is kept for the next page of the same
  // question (bounded, like the statements).
  const counts = new Map<string, number>();
  const count = (sql: string, args: SqlValue[]): number => {
    const key = `${sql}\u0000${args.join("\u0000")}`;
    let n = counts.get(key);
    if (n === undefined) {
      if (counts.size >= 1000) counts.clear();
      n = prepared<CountRow>(sql).get(...args)?.n ?? 0;
      counts.set(key, n);
    }
    return n;
  };
  const pageRows = <Row>(sql: string, args: SqlValue[], request: PageRequest): Row[] =>
    prepared<Row>(`${sql} LIMIT ? OFFSET ?`).all(...args, request.limit, offsetOf(request.cursor));
  // Rows as arrays: better-sqlite3 builds an object of many columns slowly (a stats page's 25
  // rows of 32 columns took 170 µs as objects, 70 µs as arrays).
  const pageArrays = (sql: string, args: SqlValue[], request: PageRequest): unknown[][] =>
    prepared(`${sql} LIMIT ? OFFSET ?`)
      .raw(true)
      .all(...args, request.limit, offsetOf(request.cursor)) as unknown[][];

  // The dataset never changes once loaded, so a page is kept and served again as it was (the
  // 256 most recently asked): building a page's rows is most of a stats request's cost.
  const pages = new Map<string, Page<unknown>>();
  const memo = async <T>(key: string, build: () => Page<T>): Promise<Page<T>> => {
    let cached = pages.get(key) as Page<T> | undefined;
    if (cached === undefined) {
      cached = build();
      Object.freeze(cached.data);
      Object.freeze(cached);
      if (pages.size >= 256) pages.delete(pages.keys().next().value as string);
    } else {
      pages.delete(key);
    }
    pages.set(key, cached);
    return cached;
  };

  return {
    get source() {
      return ready().dataset.source;
    },
    currentSeason: async () => ready().dataset.season,

    teams: async () => ready().teamRows.map(toTeam),

    players: (query, request) =>
      memo(`players:${JSON.stringify([query, request])}`, () => {
        const { teams } = ready();
        const where = whereClause(nameConditions(query));
        const total = count(`SELECT count(*) AS n FROM stats_players ${where.sql}`, where.args);
        const rows = pageRows<PlayerRow>(
          `SELECT * FROM stats_players ${where.sql} ORDER BY last_name, first_name, id`,
          where.args,
          request,
        );
        const players = rows.map((row) => {
          const team = row.team_id === null ? undefined : teams.get(row.team_id);
          return toPlayer(row, team === undefined ? undefined : toTeamRef(team));
        });
        return page(players, request, total);
      }),

    games: (filter) =>
      memo(`games:${JSON.stringify(filter)}`, () => {
        ready();
        const where = whereClause([
          ...inAny(["season"], filter.seasons),
          ...inAny(["home_team_id", "visitor_team_id"], filter.teamIds),
          ...dateRangeConditions("date", filter),
        ]);
        const total = count(`SELECT count(*) AS n FROM stats_games ${where.sql}`, where.args);
        const rows = pageRows<GameRow>(
          `SELECT * FROM stats_games ${where.sql} ORDER BY date, id`,
          where.args,
          filter,
        );
        return page(
          rows.map((row) => toGame(row, teamRef)),
          filter,
          total,
        );
      }),

    stats: (filter) =>
      memo(`stats:${JSON.stringify(filter)}`, () => {
        ready();
        const where = whereClause([
          ...inAny(["s.player_id"], filter.playerIds),
          ...inAny(["s.game_id"], filter.gameIds),
          ...dateRangeConditions("s.date", filter),
        ]);
        // Every line has its game and player (foreign keys): counting needs no join.
        const total = count(`SELECT count(*) AS n FROM stats_lines s ${where.sql}`, where.args);
        const rows = pageArrays(
          `SELECT ${STAT_LINE_COLUMNS.join(", ")}
         ${STAT_LINES_FROM} ${where.sql} ORDER BY s.date, s.game_id, s.id`,
          where.args,
          filter,
        );
        return page(
          rows.map((row) => toStatLine(statLineRow(row), abbreviation)),
          filter,
          total,
        );
      }),

    seasonAverages: async (season, playerIds) => {
      ready();
      const rows = db
        .prepare<SqlValue[], SeasonAverageQueryRow>(
          `SELECT s.player_id, p.first_name, p.last_name, count(*) AS games_played, avg(s.min) AS min,
             ${boxScoreColumns("season")}
           ${STAT_LINES_FROM}
           WHERE g.season = ? AND g.postseason = 0 AND s.player_id IN (${placeholders(playerIds.length)})
           GROUP BY s.player_id ORDER BY s.player_id`,
        )
        .all(season, ...playerIds);
      return rows.map((row) => toSeasonAverage(row, season));
    },
  };
}
