import {
  BadRequestError,
  Controller,
  Extension,
  Get,
  OperationId,
  Query,
  Response,
  Route,
  Security,
  SuccessResponse,
  X_OPEN_WORLD,
  type ErrorResponse,
} from "plugkit";
import type { AppServices } from "../services";
import type { DateRange, PageRequest } from "../stats/stats-provider";
import type {
  GamePage,
  PageMeta,
  PlayerPage,
  SeasonAverageList,
  StatPage,
  TeamList,
} from "../stats/stats-types";

/**
 * An id. Send several as repeated parameters: `?team_ids=1&team_ids=2`.
 * @isInt ids must be integers; repeat the parameter for several ids (team_ids=1&team_ids=2)
 * @minimum 1 ids are 1 or more
 */
export type IdParam = number;

/**
 * A season, the year it began: 2018 is the 2018-19 season.
 * @isInt seasons must be years such as 2023; repeat the parameter for several (seasons=2022&seasons=2023)
 * @minimum 1946 seasons start in 1946
 * @maximum 2100 seasons end in 2100
 */
export type SeasonParam = number;

const DEFAULT_LIMIT = 25;

/** A validated date parameter (UTC midnight) as the YYYY-MM-DD string the providers take. */
function isoDate(date: Date | undefined): string | undefined {
  return date?.toISOString().slice(0, 10);
}

/** The validated date range as YYYY-MM-DD strings; a start after the end is a 400 naming start_date. */
function dateRange(start: Date | undefined, end: Date | undefined): DateRange {
  const startDate = isoDate(start);
  const endDate = isoDate(end);
  if (startDate !== undefined && endDate !== undefined && startDate > endDate) {
    throw new BadRequestError(`start_date ${startDate} is after end_date ${endDate}.`, {
      code: "validation_failed",
      fields: { start_date: { message: "start_date must be on or before end_date" } },
    });
  }
  return { startDate, endDate };
}

/**
 * Basketball stats: players, teams, games, box scores and season averages.
 */
@Route("")
@Security("plugin")
@Response<ErrorResponse>(400, "Invalid parameter; the message names it")
@Response<ErrorResponse>(502, "The stats provider failed; tell the user to try again shortly")
@Response<ErrorResponse>(504, "The stats provider timed out; tell the user to try again shortly")
export class StatsController extends Controller {
  constructor(private readonly services: AppServices) {
    super();
  }

  private meta(count: number, nextCursor: string | null, totalCount?: number): PageMeta {
    const meta: PageMeta = { count, next_cursor: nextCursor, source: this.services.stats.source };
    if (totalCount !== undefined) meta.total_count = totalCount;
    if (nextCursor !== null) {
      meta.note = `More results exist${totalCount === undefined ? "" : ` (${totalCount} in all)`}: call again with cursor=${nextCursor} for the next page.`;
    }
    return meta;
  }

  private pageOf(limit: number | undefined, cursor: string | undefined): PageRequest {
    return { limit: limit ?? DEFAULT_LIMIT, cursor };
  }

  /**
   * Players are listed by last name. Results are paged: see meta.next_cursor.
   * @summary Retrieves all players from all seasons whose names match the query string.
   * @param query Used to filter players based on their name. For example, ?query=davis will return players that have 'davis' in their first or last name.
   * @param limit The max number of results to return (1-100, default 25).
   * @param cursor Where to continue: meta.next_cursor from the previous page.
   * @maxLength query 100 query must be at most 100 characters
   * @isInt limit limit must be an integer
   * @minimum limit 1 limit must be at least 1
   * @maximum limit 100 limit must be at most 100
   * @maxLength cursor 100 cursor must be at most 100 characters
   */
  @Get("players")
  @OperationId("getPlayers")
  @Extension(X_OPEN_WORLD, true)
  @SuccessResponse(200, "OK")
  public async getPlayers(
    @Query() query?: string,
    @Query() limit?: number,
    @Query() cursor?: string,
  ): Promise<PlayerPage> {
    const page = await this.services.stats.players(
      query?.trim() || undefined,
      this.pageOf(limit, cursor),
    );
    return { data: page.data, meta: this.meta(page.data.length, page.nextCursor, page.totalCount) };
  }

  /**
   * @summary Retrieves all teams for the current season.
   */
  @Get("teams")
  @OperationId("getTeams")
  @Extension(X_OPEN_WORLD, true)
  @SuccessResponse(200, "OK")
  public async getTeams(): Promise<TeamList> {
    const teams = await this.services.stats.teams();
    return { data: teams, meta: this.meta(teams.length, null) };
  }

  /**
   * Games are listed by date, oldest first. Results are paged: see meta.next_cursor.
   * @summary Retrieves all games that match the filters specified by the args. Display results using markdown tables.
   * @param limit The max number of results to return.
   * @param seasons Filter by seasons. Seasons are represented by the year they began. For example, 2018 represents season 2018-2019.
   * @param team_ids Filter by team ids. Team ids can be determined using the getTeams function.
   * @param start_date A single date in 'YYYY-MM-DD' format. This is used to select games that occur on or after this date.
   * @param end_date A single date in 'YYYY-MM-DD' format. This is used to select games that occur on or before this date.
   * @param cursor Where to continue: meta.next_cursor from the previous page.
   * @isInt limit limit must be an integer
   * @minimum limit 1 limit must be at least 1
   * @maximum limit 100 limit must be at most 100
   * @maxItems seasons 20 at most 20 seasons
   * @maxItems team_ids 30 at most 30 team ids
   * @isDate start_date start_date must be a real date in YYYY-MM-DD format
   * @isDate end_date end_date must be a real date in YYYY-MM-DD format
   * @maxLength cursor 100 cursor must be at most 100 characters
   */
  @Get("games")
  @OperationId("getGames")
  @Extension(X_OPEN_WORLD, true)
  @SuccessResponse(200, "OK")
  public async getGames(
    @Query() limit?: number,
    @Query() seasons?: SeasonParam[],
    @Query() team_ids?: IdParam[],
    @Query() start_date?: Date,
    @Query() end_date?: Date,
    @Query() cursor?: string,
  ): Promise<GamePage> {
    const range = dateRange(start_date, end_date);
    const page = await this.services.stats.games({
      ...this.pageOf(limit, cursor),
      ...range,
      seasons: seasons ?? [],
      teamIds: team_ids ?? [],
    });
    return { data: page.data, meta: this.meta(page.data.length, page.nextCursor, page.totalCount) };
  }

  /**
   * One row per player per game, by game date. Results are paged: see meta.next_cursor.
   * @summary Retrieves stats that match the filters specified by the args. Display results using markdown tables.
   * @param limit The max number of results to return.
   * @param player_ids Filter by player ids. Player ids can be determined using the getPlayers function.
   * @param game_ids Filter by game ids. Game ids can be determined using the getGames function.
   * @param start_date A single date in 'YYYY-MM-DD' format. This is used to select games that occur on or after this date.
   * @param end_date A single date in 'YYYY-MM-DD' format. This is used to select games that occur on or before this date.
   * @param cursor Where to continue: meta.next_cursor from the previous page.
   * @isInt limit limit must be an integer
   * @minimum limit 1 limit must be at least 1
   * @maximum limit 100 limit must be at most 100
   * @maxItems player_ids 50 at most 50 player ids
   * @maxItems game_ids 50 at most 50 game ids
   * @isDate start_date start_date must be a real date in YYYY-MM-DD format
   * @isDate end_date end_date must be a real date in YYYY-MM-DD format
   * @maxLength cursor 100 cursor must be at most 100 characters
   */
  @Get("stats")
  @OperationId("getStats")
  @Extension(X_OPEN_WORLD, true)
  @SuccessResponse(200, "OK")
  public async getStats(
    @Query() limit?: number,
    @Query() player_ids?: IdParam[],
    @Query() game_ids?: IdParam[],
    @Query() start_date?: Date,
    @Query() end_date?: Date,
    @Query() cursor?: string,
  ): Promise<StatPage> {
    const range = dateRange(start_date, end_date);
    const page = await this.services.stats.stats({
      ...this.pageOf(limit, cursor),
      ...range,
      playerIds: player_ids ?? [],
      gameIds: game_ids ?? [],
    });
    return { data: page.data, meta: this.meta(page.data.length, page.nextCursor, page.totalCount) };
  }

  /**
   * Regular-season per-game averages; players without games that season are left out.
   * @summary Retrieves regular season averages for the given players. Display results using markdown tables.
   * @param season Defaults to the current season. A season is represented by the year it began. For example, 2018 represents season 2018-2019.
   * @param player_ids Filter by player ids. Player ids can be determined using the getPlayers function.
   * @isInt season season must be a year such as 2023
   * @minimum season 1946 season must be 1946 or later
   * @maximum season 2100 season must be 2100 or earlier
   * @minItems player_ids 1 player_ids is required: find ids with getPlayers
   * @maxItems player_ids 25 at most 25 player ids
   */
  @Get("season_averages")
  @OperationId("getSeasonAverages")
  @Extension(X_OPEN_WORLD, true)
  @SuccessResponse(200, "OK")
  public async getSeasonAverages(
    @Query() player_ids: IdParam[],
    @Query() season?: number,
  ): Promise<SeasonAverageList> {
    const resolved = season ?? (await this.services.stats.currentSeason());
    const averages = await this.services.stats.seasonAverages(resolved, [...new Set(player_ids)]);
    return { data: averages, meta: this.meta(averages.length, null) };
  }
}
