import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type Database from "better-sqlite3";
import { BadRequestError } from "plugkit";
import type { GameFilter, Page, PageRequest, StatsProvider } from "./stats-provider";
import type { Game, Player, SeasonAverage, StatLine, Team, TeamRef } from "./stats-types";

/** The dataset file format written by scripts/generate-stats-dataset.ts. */
interface DatasetFile {
  name: string;
  description: string;
  source: string;
  license: string;
  season: number;
  teams: unknown[][];
  players: unknown[][];
  games: unknown[][];
  stats: unknown[][];
}

/** What the stats tables hold, once loaded. */
interface LoadedDataset {
  /** Says that the data is synthetic, where it comes from and its license. */
  source: string;
  season: number;
}

/**
 * Loads the dataset into the stats tables unless this exact file (by SHA-256) is already
 * there, and returns its description. Runs in one IMMEDIATE transaction, so concurrent starts
 * load it once; a loaded file costs one read and hash, not a parse.
 */
export function loadEmbeddedDataset(db: Database.Database, file: string): LoadedDataset {
  const bytes = readFileSync(file);
  const hash = createHash("sha256").update(bytes).digest("hex");
  const meta = db.prepare<[], { key: string; value: string }>("SELECT key, value FROM stats_meta");
  const current = (): LoadedDataset | undefined => {
    const values = new Map(meta.all().map((row) => [row.key, row.value]));
    return values.get("dataset_sha256") === hash
      ? { source: values.get("source") ?? "", season: Number(values.get("current_season")) }
      : undefined;
  };
  return (
    current() ??
    db
      .transaction((): LoadedDataset => {
        const loaded = current();
        if (loaded !== undefined) return loaded;
        const dataset = JSON.parse(gunzipSync(bytes).toString("utf8")) as DatasetFile;
        for (const table of [
          "stats_lines",
          "stats_games",
          "stats_players",
          "stats_teams",
          "stats_meta",
        ]) {
          db.prepare(`DELETE FROM ${table}`).run();
        }
        const insert = (sql: string, rows: unknown[][]): void => {
          const statement = db.prepare(sql);
          for (const row of rows) statement.run(...row);
        };
        insert("INSERT INTO stats_teams VALUES (?, ?, ?, ?, ?, ?)", dataset.teams);
        insert(
          "INSERT INTO stats_players VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          dataset.players,
        );
        insert(
          `INSERT INTO stats_games (id, date, home_team_id, visitor_team_id, home_team_score, visitor_team_score, period, season)
           VALUES (?, ?, ?, ?, ?, ?, ?, ${Math.trunc(dataset.season)})`,
          dataset.games,
        );
        insert(
          `INSERT INTO stats_lines (game_id, player_id, team_id, min, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, ast, stl, blk, turnover, pf)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          dataset.stats,
        );
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
      })
      .immediate()
  );
}

const pct = (made: number, attempted: number): number | null =>
  attempted === 0 ? null : Math.round((made / attempted) * 1000) / 1000;
const one = (value: number): number => Math.round(value * 10) / 10;
const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

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

interface TeamRow {
  id: number;
  abbreviation: string;
  city: string;
  name: string;
  conference: string;
  division: string;
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
  let state:
    { dataset: LoadedDataset; teamRows: TeamRow[]; teams: Map<number, TeamRow> } | undefined;
  const ready = (): {
    dataset: LoadedDataset;
    teamRows: TeamRow[];
    teams: Map<number, TeamRow>;
  } => {
    if (state === undefined) {
      const dataset = loadEmbeddedDataset(db, datasetFile);
      const teamRows = db.prepare<[], TeamRow>("SELECT * FROM stats_teams ORDER BY id").all();
      state = { dataset, teamRows, teams: new Map(teamRows.map((t) => [t.id, t])) };
    }
    return state;
  };
  const ref = (id: number | null): TeamRef | null => {
    const t = id === null ? undefined : ready().teams.get(id);
    return t === undefined
      ? null
      : { id: t.id, abbreviation: t.abbreviation, full_name: `${t.city} ${t.name}` };
  };

  const gameWhere = (filter: GameFilter): { sql: string; args: unknown[] } => {
    const clauses: string[] = [];
    const args: unknown[] = [];
    if (filter.seasons.length > 0) {
      clauses.push(`season IN (${placeholders(filter.seasons.length)})`);
      args.push(...filter.seasons);
    }
    if (filter.teamIds.length > 0) {
      const list = placeholders(filter.teamIds.length);
      clauses.push(`(home_team_id IN (${list}) OR visitor_team_id IN (${list}))`);
      args.push(...filter.teamIds, ...filter.teamIds);
    }
    if (filter.startDate !== undefined) {
      clauses.push("date >= ?");
      args.push(filter.startDate);
    }
    if (filter.endDate !== undefined) {
      clauses.push("date <= ?");
      args.push(filter.endDate);
    }
    return { sql: clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`, args };
  };

  interface GameRow {
    id: number;
    date: string;
    season: number;
    home_team_id: number;
    visitor_team_id: number;
    home_team_score: number;
    visitor_team_score: number;
    period: number;
    postseason: number;
  }
  const toGame = (g: GameRow): Game => ({
    id: g.id,
    date: g.date,
    season: g.season,
    status: "Final",
    period: g.period,
    postseason: g.postseason === 1,
    home_team: ref(g.home_team_id) as TeamRef,
    home_team_score: g.home_team_score,
    visitor_team: ref(g.visitor_team_id) as TeamRef,
    visitor_team_score: g.visitor_team_score,
  });

  return {
    get source() {
      return ready().dataset.source;
    },
    currentSeason: async () => ready().dataset.season,

    teams: async () =>
      ready().teamRows.map((t) => ({
        id: t.id,
        abbreviation: t.abbreviation,
        full_name: `${t.city} ${t.name}`,
        city: t.city,
        name: t.name,
        conference: t.conference,
        division: t.division,
      })) satisfies Team[],

    players: async (query, request) => {
      ready();
      const words = (query ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 5);
      const where = words
        .map(() => "(first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\')")
        .join(" AND ");
      const args = words.flatMap((w) => {
        const like = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        return [like, like];
      });
      const filter = where === "" ? "" : `WHERE ${where}`;
      const total = db
        .prepare(`SELECT count(*) AS n FROM stats_players ${filter}`)
        .get(...args) as { n: number };
      const rows = db
        .prepare(
          `SELECT * FROM stats_players ${filter} ORDER BY last_name, first_name, id LIMIT ? OFFSET ?`,
        )
        .all(...args, request.limit, offsetOf(request.cursor)) as (Omit<Player, "team"> & {
        team_id: number | null;
      })[];
      const players = rows.map(({ team_id, ...p }): Player => {
        const team = ref(team_id);
        return team === null ? p : { ...p, team };
      });
      return page(players, request, total.n);
    },

    games: async (filter) => {
      ready();
      const { sql, args } = gameWhere(filter);
      const total = db.prepare(`SELECT count(*) AS n FROM stats_games ${sql}`).get(...args) as {
        n: number;
      };
      const rows = db
        .prepare(`SELECT * FROM stats_games ${sql} ORDER BY date, id LIMIT ? OFFSET ?`)
        .all(...args, filter.limit, offsetOf(filter.cursor)) as GameRow[];
      return page(rows.map(toGame), filter, total.n);
    },

    stats: async (filter) => {
      const { teams } = ready();
      const clauses: string[] = [];
      const args: unknown[] = [];
      if (filter.playerIds.length > 0) {
        clauses.push(`s.player_id IN (${placeholders(filter.playerIds.length)})`);
        args.push(...filter.playerIds);
      }
      if (filter.gameIds.length > 0) {
        clauses.push(`s.game_id IN (${placeholders(filter.gameIds.length)})`);
        args.push(...filter.gameIds);
      }
      if (filter.startDate !== undefined) {
        clauses.push("g.date >= ?");
        args.push(filter.startDate);
      }
      if (filter.endDate !== undefined) {
        clauses.push("g.date <= ?");
        args.push(filter.endDate);
      }
      const where = clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`;
      const from =
        "FROM stats_lines s JOIN stats_games g ON g.id = s.game_id JOIN stats_players p ON p.id = s.player_id";
      const total = db.prepare(`SELECT count(*) AS n ${from} ${where}`).get(...args) as {
        n: number;
      };
      const rows = db
        .prepare(
          `SELECT s.*, g.date, g.season, g.home_team_id, g.visitor_team_id, p.first_name, p.last_name
           ${from} ${where} ORDER BY g.date, s.game_id, s.id LIMIT ? OFFSET ?`,
        )
        .all(...args, filter.limit, offsetOf(filter.cursor)) as (Record<string, number> & {
        date: string;
        first_name: string;
        last_name: string;
      })[];
      const lines = rows.map((r): StatLine => {
        const opponentId =
          r["team_id"] === r["home_team_id"] ? r["visitor_team_id"] : r["home_team_id"];
        const fgm = r["fgm"] ?? 0;
        const fg3m = r["fg3m"] ?? 0;
        const ftm = r["ftm"] ?? 0;
        return {
          id: r["id"] ?? 0,
          game_id: r["game_id"] ?? 0,
          date: r.date,
          season: r["season"] ?? 0,
          player_id: r["player_id"] ?? 0,
          player_name: `${r.first_name} ${r.last_name}`,
          team: teams.get(r["team_id"] ?? 0)?.abbreviation ?? "",
          opponent: teams.get(opponentId ?? 0)?.abbreviation ?? "",
          min: r["min"] ?? 0,
          pts: 2 * fgm + fg3m + ftm,
          reb: (r["oreb"] ?? 0) + (r["dreb"] ?? 0),
          ast: r["ast"] ?? 0,
          stl: r["stl"] ?? 0,
          blk: r["blk"] ?? 0,
          turnover: r["turnover"] ?? 0,
          pf: r["pf"] ?? 0,
          fgm,
          fga: r["fga"] ?? 0,
          fg_pct: pct(fgm, r["fga"] ?? 0),
          fg3m,
          fg3a: r["fg3a"] ?? 0,
          fg3_pct: pct(fg3m, r["fg3a"] ?? 0),
          ftm,
          fta: r["fta"] ?? 0,
          ft_pct: pct(ftm, r["fta"] ?? 0),
          oreb: r["oreb"] ?? 0,
          dreb: r["dreb"] ?? 0,
        };
      });
      return page(lines, filter, total.n);
    },

    seasonAverages: async (season, playerIds) => {
      ready();
      const rows = db
        .prepare(
          `SELECT s.player_id, p.first_name, p.last_name, count(*) AS gp,
             avg(s.min) AS min, avg(2 * s.fgm + s.fg3m + s.ftm) AS pts, avg(s.oreb + s.dreb) AS reb,
             avg(s.ast) AS ast, avg(s.stl) AS stl, avg(s.blk) AS blk, avg(s.turnover) AS turnover, avg(s.pf) AS pf,
             avg(s.fgm) AS fgm, avg(s.fga) AS fga, sum(s.fgm) AS fgm_sum, sum(s.fga) AS fga_sum,
             avg(s.fg3m) AS fg3m, avg(s.fg3a) AS fg3a, sum(s.fg3m) AS fg3m_sum, sum(s.fg3a) AS fg3a_sum,
             avg(s.ftm) AS ftm, avg(s.fta) AS fta, sum(s.ftm) AS ftm_sum, sum(s.fta) AS fta_sum,
             avg(s.oreb) AS oreb, avg(s.dreb) AS dreb
           FROM stats_lines s JOIN stats_games g ON g.id = s.game_id JOIN stats_players p ON p.id = s.player_id
           WHERE g.season = ? AND g.postseason = 0 AND s.player_id IN (${placeholders(playerIds.length)})
           GROUP BY s.player_id ORDER BY s.player_id`,
        )
        .all(season, ...playerIds) as (Record<string, number> & {
        first_name: string;
        last_name: string;
      })[];
      return rows.map((r): SeasonAverage => ({
        player_id: r["player_id"] ?? 0,
        player_name: `${r.first_name} ${r.last_name}`,
        season,
        games_played: r["gp"] ?? 0,
        min: one(r["min"] ?? 0),
        pts: one(r["pts"] ?? 0),
        reb: one(r["reb"] ?? 0),
        ast: one(r["ast"] ?? 0),
        stl: one(r["stl"] ?? 0),
        blk: one(r["blk"] ?? 0),
        turnover: one(r["turnover"] ?? 0),
        pf: one(r["pf"] ?? 0),
        fgm: one(r["fgm"] ?? 0),
        fga: one(r["fga"] ?? 0),
        fg_pct: pct(r["fgm_sum"] ?? 0, r["fga_sum"] ?? 0),
        fg3m: one(r["fg3m"] ?? 0),
        fg3a: one(r["fg3a"] ?? 0),
        fg3_pct: pct(r["fg3m_sum"] ?? 0, r["fg3a_sum"] ?? 0),
        ftm: one(r["ftm"] ?? 0),
        fta: one(r["fta"] ?? 0),
        ft_pct: pct(r["ftm_sum"] ?? 0, r["fta_sum"] ?? 0),
        oreb: one(r["oreb"] ?? 0),
        dreb: one(r["dreb"] ?? 0),
      }));
    },
  };
}
