import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  UpstreamGame,
  UpstreamList,
  UpstreamPlayer,
  UpstreamSeasonAverage,
  UpstreamStat,
  UpstreamTeam,
} from "../../src/stats/balldontlie-types";

/** What the fake does with the next requests, in order; then it answers normally. */
export type Behaviour =
  | { kind: "status"; status: number; retryAfter?: string }
  | { kind: "delay"; ms: number }
  | { kind: "invalid-json" };

const team = (id: number, abbreviation: string, city: string, name: string): UpstreamTeam => ({
  id,
  abbreviation,
  city,
  conference: id % 2 === 0 ? "East" : "West",
  division: "Atlantic",
  full_name: `${city} ${name}`,
  name,
});
const BOS = team(2, "BOS", "Boston", "Celtics");
const LAL = team(14, "LAL", "Los Angeles", "Lakers");
const TEAMS = [BOS, LAL];
// Real answers carry fields the plugin does not read, such as the draft round.
const PLAYER: UpstreamPlayer & { draft_round: number; draft_number: number } = {
  id: 237,
  first_name: "LeBron",
  last_name: "James",
  position: "F",
  height: "6-9",
  weight: "250",
  jersey_number: "23",
  college: "St. Vincent-St. Mary HS (OH)",
  country: "USA",
  draft_year: 2003,
  draft_round: 1,
  draft_number: 1,
  team: LAL,
};
const GAME: UpstreamGame & { time: string } = {
  id: 1001,
  date: "2024-01-05",
  season: 2023,
  status: "Final",
  period: 4,
  time: "Final",
  postseason: false,
  home_team_score: 110,
  visitor_team_score: 102,
  home_team: LAL,
  visitor_team: BOS,
};
const STAT: UpstreamStat = {
  id: 5001,
  min: "36:30",
  fgm: 10,
  fga: 20,
  fg_pct: 0.5,
  fg3m: 2,
  fg3a: 6,
  fg3_pct: 0.333,
  ftm: 5,
  fta: 6,
  ft_pct: 0.833,
  oreb: 1,
  dreb: 7,
  reb: 8,
  ast: 9,
  stl: 1,
  blk: 1,
  turnover: 3,
  pf: 2,
  pts: 27,
  player: { ...PLAYER, team: undefined, team_id: 14 },
  team: LAL,
  // Games inside /stats answers carry team ids, and a date-time.
  game: {
    id: 1001,
    date: "2024-01-05T00:00:00.000Z",
    season: 2023,
    status: "Final",
    period: 4,
    postseason: false,
    home_team_score: 110,
    visitor_team_score: 102,
    home_team_id: 14,
    visitor_team_id: 2,
  },
};
const seasonAverage = (season: number): UpstreamSeasonAverage => ({
  player_id: 237,
  season,
  games_played: 71,
  min: "35:18",
  pts: 25.7,
  reb: 7.3,
  ast: 8.3,
  stl: 1.3,
  blk: 0.5,
  turnover: 3.5,
  pf: 1.1,
  fgm: 9.6,
  fga: 18.1,
  fg_pct: 0.54,
  fg3m: 2.1,
  fg3a: 5.1,
  fg3_pct: 0.41,
  ftm: 4.3,
  fta: 5.7,
  ft_pct: 0.75,
  oreb: 0.9,
  dreb: 6.4,
});

/**
 * A local stand-in for the balldontlie API (v1 shapes: `data` plus cursor `meta`), with
 * scripted failures: error statuses, Retry-After, slowness and broken JSON.
 */
export class FakeBalldontlie {
  readonly requests: { url: URL; authorization: string | undefined }[] = [];
  private readonly script: Behaviour[] = [];
  private server: Server | undefined;
  url = "";

  /** Queues behaviours for the next requests. */
  then(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, headers, body }) => {
        res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const url = new URL(req.url ?? "/", "http://fake");
    this.requests.push({ url, authorization: req.headers.authorization });
    const next = this.script.shift();
    if (next?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, next.ms));
    if (next?.kind === "status") {
      return {
        status: next.status,
        headers: next.retryAfter === undefined ? {} : { "Retry-After": next.retryAfter },
        body: JSON.stringify({ error: "scripted" }),
      };
    }
    if (next?.kind === "invalid-json") return { status: 200, headers: {}, body: "<html>oops" };
    return { status: 200, headers: {}, body: JSON.stringify(this.answer(url)) };
  }

  private answer(url: URL): UpstreamList<unknown> | { error: string } {
    const path = url.pathname.replace(/^\/v1/, "");
    const cursor = url.searchParams.get("cursor");
    switch (path) {
      case "/teams":
        return { data: TEAMS };
      case "/players":
        return {
          data: [PLAYER],
          meta: {
            next_cursor: cursor === null ? 237 : null,
            per_page: Number(url.searchParams.get("per_page")),
          },
        };
      case "/games":
        return { data: [GAME], meta: { next_cursor: null, per_page: 25 } };
      case "/stats":
        return { data: [STAT], meta: { next_cursor: null, per_page: 25 } };
      case "/season_averages":
        return { data: [seasonAverage(Number(url.searchParams.get("season")))] };
      default:
        return { error: "not found" };
    }
  }
}
