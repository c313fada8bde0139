import type { Clock } from "plugkit";
import {
  createBalldontlieClient,
  type BalldontlieClientOptions,
  type QueryParam,
} from "./balldontlie-client";
import {
  toGame,
  toPage,
  toPlayer,
  toSeasonAverage,
  toStatLine,
  toTeam,
} from "./balldontlie-mapping";
import type {
  UpstreamGame,
  UpstreamList,
  UpstreamPlayer,
  UpstreamSeasonAverage,
  UpstreamStat,
  UpstreamTeam,
} from "./balldontlie-types";
import type { DateRange, PageRequest, StatsProvider } from "./stats-provider";
import type { Team } from "./stats-types";

/** Options for {@link createBalldontlieProvider}: the client's, whose clock also dates "current". */
export type BalldontlieOptions = BalldontlieClientOptions;

/** Page size and, when continuing, the cursor. */
function pageParams(request: PageRequest): QueryParam[] {
  return [
    ["per_page", request.limit],
    ...(request.cursor === undefined ? [] : [["cursor", request.cursor] as const]),
  ];
}

/** A list as repeated `name[]` parameters, as balldontlie reads arrays. */
function listParams(name: string, values: readonly number[]): QueryParam[] {
  return values.map((value) => [`${name}[]`, value]);
}

/** The range's ends as start_date and end_date; open ends are left out. */
function dateParams(range: DateRange): QueryParam[] {
  return [
    ...(range.startDate === undefined ? [] : [["start_date", range.startDate] as const]),
    ...(range.endDate === undefined ? [] : [["end_date", range.endDate] as const]),
  ];
}

/** The season under way at `now`: the NBA season starts in October, so before that it is last year's. */
export function seasonAt(now: number): number {
  const date = new Date(now);
  return date.getUTCMonth() >= 9 ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
}

/**
 * Proxies the balldontlie API (https://www.balldontlie.io) through a client that times out,
 * retries, caches and turns failures into 502/504 errors the model can relay.
 */
export function createBalldontlieProvider(options: BalldontlieOptions): StatsProvider {
  const client = createBalldontlieClient(options);
  const clock: Clock = options.clock ?? { now: () => Date.now() };

  async function teams(): Promise<Team[]> {
    const body = await client.get<UpstreamList<UpstreamTeam>>("/teams");
    return body.data.map((team) => toTeam(team));
  }

  return {
    source: `Live NBA data from the balldontlie API (${client.baseUrl}).`,
    currentSeason: async () => seasonAt(clock.now()),
    teams,
    players: async (query, request) =>
      toPage(
        await client.get<UpstreamList<UpstreamPlayer>>("/players", [
          ...(query === undefined ? [] : [["search", query] as const]),
          ...pageParams(request),
        ]),
        toPlayer,
      ),
    games: async (filter) =>
      toPage(
        await client.get<UpstreamList<UpstreamGame>>("/games", [
          ...listParams("seasons", filter.seasons),
          ...listParams("team_ids", filter.teamIds),
          ...dateParams(filter),
          ...pageParams(filter),
        ]),
        toGame,
      ),
    stats: async (filter) => {
      const body = await client.get<UpstreamList<UpstreamStat>>("/stats", [
        ...listParams("player_ids", filter.playerIds),
        ...listParams("game_ids", filter.gameIds),
        ...dateParams(filter),
        ...pageParams(filter),
      ]);
      // Stat lines carry only team ids for the game; the (cached) team list names the opponent.
      const abbreviations = new Map((await teams()).map((team) => [team.id, team.abbreviation]));
      return toPage(body, (stat) => toStatLine(stat, abbreviations));
    },
    seasonAverages: async (season, playerIds) => {
      const body = await client.get<UpstreamList<UpstreamSeasonAverage>>("/season_averages", [
        ["season", season],
        ...listParams("player_ids", playerIds),
      ]);
      return body.data.map((average) => toSeasonAverage(average, season));
    },
  };
}
