import { HttpError } from "plugkit";
import type { GameFilter, Page, PageRequest, StatFilter, StatsProvider } from "./stats-provider";
import type { Game, Player, SeasonAverage, StatLine, Team, TeamRef } from "./stats-types";

/** Options for {@link createBalldontlieProvider}. */
export interface BalldontlieOptions {
  /** `BALLDONTLIE_API_KEY`, sent as the Authorization header. */
  apiKey: string | undefined;
  /** `BALLDONTLIE_BASE_URL`. @default "https://api.balldontlie.io/v1" */
  baseUrl?: string;
  /** Per-attempt timeout, ms (`STATS_TIMEOUT_MS`). @default 5000 */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx or a network error. @default 2 */
  retries?: number;
  /** First backoff, ms, doubled each retry, with jitter; a Retry-After header wins. @default 300 */
  backoffMs?: number;
  /** Longest wait honoured from Retry-After, ms; longer waits fail fast instead. @default 10000 */
  maxRetryAfterMs?: number;
  /** How long answers are cached, ms (`STATS_CACHE_TTL_MS`). @default 300000 */
  cacheTtlMs?: number;
  /** Most cached answers. @default 500 */
  cacheSize?: number;
  /** Replaced in tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

interface UpstreamTeam {
  id: number;
  abbreviation: string;
  city: string;
  conference: string;
  division: string;
  full_name: string;
  name: string;
}
interface UpstreamPlayer {
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
interface UpstreamGame {
  id: number;
  date: string;
  season: number;
  status: string;
  period: number;
  postseason: boolean;
  /** Absent from the game objects inside /stats answers, which carry ids only. */
  home_team?: UpstreamTeam;
  home_team_score: number;
  visitor_team?: UpstreamTeam;
  visitor_team_score: number;
  home_team_id?: number;
  visitor_team_id?: number;
}
interface UpstreamStat {
  id: number;
  min: string | null;
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
  player: UpstreamPlayer;
  team: UpstreamTeam;
  game: UpstreamGame;
}
interface UpstreamList<T> {
  data: T[];
  meta?: { next_cursor?: number | string | null; per_page?: number };
}

const ref = (t: UpstreamTeam): TeamRef => ({
  id: t.id,
  abbreviation: t.abbreviation,
  full_name: t.full_name,
});
const num = (value: number | null | undefined): number =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;
const ratio = (value: number | null | undefined): number | null =>
  typeof value !== "number" ? null : value > 1 ? Math.round(value * 10) / 1000 : value;
/** "34:12" or "34" minutes as a number. */
const minutes = (value: string | number | null | undefined): number => {
  if (typeof value === "number") return value;
  const [m, s] = (value ?? "0").split(":");
  return Math.round((Number(m) + Number(s ?? 0) / 60) * 10) / 10 || 0;
};

/** A tiny LRU cache with expiry. */
class TtlCache {
  private readonly entries = new Map<string, { at: number; value: unknown }>();
  constructor(
    private readonly ttlMs: number,
    private readonly size: number,
  ) {}
  get(key: string): unknown {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (Date.now() - entry.at > this.ttlMs) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }
  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { at: Date.now(), value });
    if (this.entries.size > this.size)
      this.entries.delete(this.entries.keys().next().value as string);
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Proxies the balldontlie API (https://www.balldontlie.io): every request has a timeout, 429s,
 * 5xx answers and network errors are retried with exponential backoff that honours
 * Retry-After, answers are cached, and failures become 502/504 errors the model can relay.
 */
export function createBalldontlieProvider(options: BalldontlieOptions): StatsProvider {
  const {
    apiKey,
    baseUrl = "https://api.balldontlie.io/v1",
    timeoutMs = 5000,
    retries = 2,
    backoffMs = 300,
    maxRetryAfterMs = 10_000,
    cacheTtlMs = 300_000,
    cacheSize = 500,
    fetch: fetchImpl = fetch,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  } = options;
  const cache = new TtlCache(cacheTtlMs, cacheSize);
  const base = baseUrl.replace(/\/+$/, "");

  const upstreamError = (status: 502 | 504, message: string, code: string): HttpError =>
    new HttpError(
      status,
      `${message} Tell the user the stats service is unavailable right now and to try again shortly.`,
      { code },
    );

  async function get<T>(path: string, params: [string, string | number][] = []): Promise<T> {
    const query = new URLSearchParams(
      params.map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    const url = `${base}${path}${query === "" ? "" : `?${query}`}`;
    const cached = cache.get(url);
    if (cached !== undefined) return cached as T;

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetchImpl(url, {
          headers: {
            Accept: "application/json",
            ...(apiKey === undefined ? {} : { Authorization: apiKey }),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const timedOut =
          error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        if (attempt < retries) {
          await sleep(backoffMs * 2 ** attempt * (1 + Math.random() / 2));
          continue;
        }
        throw timedOut
          ? upstreamError(
              504,
              `The stats provider did not answer within ${timeoutMs / 1000} s.`,
              "upstream_timeout",
            )
          : upstreamError(502, "The stats provider could not be reached.", "upstream_unreachable");
      }
      if (response.ok) {
        let body: T;
        try {
          body = (await response.json()) as T;
        } catch {
          throw upstreamError(
            502,
            "The stats provider sent an answer that is not JSON.",
            "upstream_invalid",
          );
        }
        cache.set(url, body);
        return body;
      }
      await response.body?.cancel();
      const retryable = response.status === 429 || response.status >= 500;
      const wait = retryAfterMs(response.headers.get("retry-after"));
      if (retryable && attempt < retries && (wait === undefined || wait <= maxRetryAfterMs)) {
        await sleep(wait ?? backoffMs * 2 ** attempt * (1 + Math.random() / 2));
        continue;
      }
      if (response.status === 429) {
        const seconds = wait === undefined ? undefined : Math.ceil(wait / 1000);
        throw upstreamError(
          502,
          `The stats provider is rate-limiting this plugin${seconds === undefined ? "" : ` for ${seconds} s`}.`,
          "upstream_rate_limited",
        );
      }
      if (response.status === 401 || response.status === 403) {
        throw upstreamError(
          502,
          "The stats provider refused this plugin's API key.",
          "upstream_unauthorized",
        );
      }
      throw upstreamError(
        502,
        `The stats provider failed with HTTP ${response.status}.`,
        "upstream_error",
      );
    }
  }

  const pageParams = (request: PageRequest): [string, string | number][] => [
    ["per_page", request.limit],
    ...(request.cursor === undefined ? [] : [["cursor", request.cursor] as [string, string]]),
  ];
  const list = (name: string, values: number[]): [string, number][] =>
    values.map((v) => [`${name}[]`, v]);
  const toPage = <U, T>(body: UpstreamList<U>, map: (u: U) => T): Page<T> => ({
    data: body.data.map(map),
    nextCursor:
      body.meta?.next_cursor === undefined || body.meta.next_cursor === null
        ? null
        : String(body.meta.next_cursor),
  });
  const toPlayer = (p: UpstreamPlayer): Player => ({
    id: p.id,
    first_name: p.first_name,
    last_name: p.last_name,
    position: p.position ?? "",
    height: p.height ?? null,
    weight: p.weight ?? null,
    jersey_number: p.jersey_number ?? null,
    college: p.college ?? null,
    country: p.country ?? null,
    draft_year: p.draft_year ?? null,
    ...(p.team ? { team: ref(p.team) } : {}),
  });
  const toGame = (
    g: UpstreamGame & { home_team: UpstreamTeam; visitor_team: UpstreamTeam },
  ): Game => ({
    id: g.id,
    date: g.date.slice(0, 10),
    season: g.season,
    status: g.status,
    period: g.period,
    postseason: g.postseason,
    home_team: ref(g.home_team),
    home_team_score: g.home_team_score,
    visitor_team: ref(g.visitor_team),
    visitor_team_score: g.visitor_team_score,
  });
  const dateParams = (f: {
    startDate: string | undefined;
    endDate: string | undefined;
  }): [string, string][] => [
    ...(f.startDate === undefined ? [] : [["start_date", f.startDate] as [string, string]]),
    ...(f.endDate === undefined ? [] : [["end_date", f.endDate] as [string, string]]),
  ];

  async function teamList(): Promise<Team[]> {
    const body = await get<UpstreamList<UpstreamTeam>>("/teams");
    return body.data.map((t): Team => ({
      id: t.id,
      abbreviation: t.abbreviation,
      full_name: t.full_name,
      city: t.city,
      name: t.name,
      conference: t.conference,
      division: t.division,
    }));
  }

  return {
    source: `Live NBA data from the balldontlie API (${base}).`,
    // The NBA season starts in October: before that, "current" is last year's.
    currentSeason: async () => {
      const now = new Date();
      return now.getUTCMonth() >= 9 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    },
    teams: teamList,
    players: async (query, request) =>
      toPage(
        await get<UpstreamList<UpstreamPlayer>>("/players", [
          ...(query === undefined ? [] : [["search", query] as [string, string]]),
          ...pageParams(request),
        ]),
        toPlayer,
      ),
    games: async (filter: GameFilter) =>
      toPage(
        await get<
          UpstreamList<UpstreamGame & { home_team: UpstreamTeam; visitor_team: UpstreamTeam }>
        >("/games", [
          ...list("seasons", filter.seasons),
          ...list("team_ids", filter.teamIds),
          ...dateParams(filter),
          ...pageParams(filter),
        ]),
        toGame,
      ),
    stats: async (filter: StatFilter) => {
      const body = await get<UpstreamList<UpstreamStat>>("/stats", [
        ...list("player_ids", filter.playerIds),
        ...list("game_ids", filter.gameIds),
        ...dateParams(filter),
        ...pageParams(filter),
      ]);
      // Stat lines carry only team ids for the game; the (cached) team list names the opponent.
      const abbreviations = new Map((await teamList()).map((t) => [t.id, t.abbreviation]));
      return toPage(body, (s): StatLine => {
        const homeId = s.game.home_team_id ?? s.game.home_team?.id;
        const visitorId = s.game.visitor_team_id ?? s.game.visitor_team?.id;
        const opponentId = s.team.id === homeId ? visitorId : homeId;
        return {
          id: s.id,
          game_id: s.game.id,
          date: s.game.date.slice(0, 10),
          season: s.game.season,
          player_id: s.player.id,
          player_name: `${s.player.first_name} ${s.player.last_name}`,
          team: s.team.abbreviation,
          opponent: (opponentId === undefined ? undefined : abbreviations.get(opponentId)) ?? "",
          min: minutes(s.min),
          pts: num(s.pts),
          reb: num(s.reb),
          ast: num(s.ast),
          stl: num(s.stl),
          blk: num(s.blk),
          turnover: num(s.turnover),
          pf: num(s.pf),
          fgm: num(s.fgm),
          fga: num(s.fga),
          fg_pct: ratio(s.fg_pct),
          fg3m: num(s.fg3m),
          fg3a: num(s.fg3a),
          fg3_pct: ratio(s.fg3_pct),
          ftm: num(s.ftm),
          fta: num(s.fta),
          ft_pct: ratio(s.ft_pct),
          oreb: num(s.oreb),
          dreb: num(s.dreb),
        };
      });
    },
    seasonAverages: async (season, playerIds) => {
      const body = await get<UpstreamList<Record<string, number | string | null>>>(
        "/season_averages",
        [["season", season], ...list("player_ids", playerIds)],
      );
      return body.data.map((a): SeasonAverage => ({
        player_id: num(a["player_id"] as number),
        season: num(a["season"] as number) || season,
        games_played: num(a["games_played"] as number),
        min: minutes(a["min"] as string),
        pts: num(a["pts"] as number),
        reb: num(a["reb"] as number),
        ast: num(a["ast"] as number),
        stl: num(a["stl"] as number),
        blk: num(a["blk"] as number),
        turnover: num(a["turnover"] as number),
        pf: num(a["pf"] as number),
        fgm: num(a["fgm"] as number),
        fga: num(a["fga"] as number),
        fg_pct: ratio(a["fg_pct"] as number),
        fg3m: num(a["fg3m"] as number),
        fg3a: num(a["fg3a"] as number),
        fg3_pct: ratio(a["fg3_pct"] as number),
        ftm: num(a["ftm"] as number),
        fta: num(a["fta"] as number),
        ft_pct: ratio(a["ft_pct"] as number),
        oreb: num(a["oreb"] as number),
        dreb: num(a["dreb"] as number),
      }));
    },
  };
}
