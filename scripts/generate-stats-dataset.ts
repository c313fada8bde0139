// Generates assets/stats/synthetic-nba-2023.json.gz, the stats plugin's embedded dataset:
// the 30 real NBA teams (names, cities, conferences and divisions are public facts) with
// FICTIONAL players, a synthetic 2023-24 regular season (1,230 games, 82 per team) and box
// scores whose points add up to the final scores. Deterministic: the same seed gives the same
// bytes. Run with `npm run stats:dataset`; the output is committed.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  DATASET_COLUMNS,
  type GameTuple,
  type PlayerTuple,
  type StatsDataset,
  type StatTuple,
  type TeamTuple,
} from "../src/stats/dataset-format";

export const SEED = 20231024;
const SEASON = 2023;
const SEASON_START = Date.UTC(2023, 9, 24); // 2023-10-24
const SEASON_DAYS = 174; // through 2024-04-14
const ROSTER = 15;
const ROUNDS = 82;

// [id, abbreviation, city, name, conference, division]; ids follow balldontlie's.
const TEAMS: readonly TeamTuple[] = [
  [1, "ATL", "Atlanta", "Hawks", "East", "Southeast"],
  [2, "BOS", "Boston", "Celtics", "East", "Atlantic"],
  [3, "BKN", "Brooklyn", "Nets", "East", "Atlantic"],
  [4, "CHA", "Charlotte", "Hornets", "East", "Southeast"],
  [5, "CHI", "Chicago", "Bulls", "East", "Central"],
  [6, "CLE", "Cleveland", "Cavaliers", "East", "Central"],
  [7, "DAL", "Dallas", "Mavericks", "West", "Southwest"],
  [8, "DEN", "Denver", "Nuggets", "West", "Northwest"],
  [9, "DET", "Detroit", "Pistons", "East", "Central"],
  [10, "GSW", "Golden State", "Warriors", "West", "Pacific"],
  [11, "HOU", "Houston", "Rockets", "West", "Southwest"],
  [12, "IND", "Indiana", "Pacers", "East", "Central"],
  [13, "LAC", "LA", "Clippers", "West", "Pacific"],
  [14, "LAL", "Los Angeles", "Lakers", "West", "Pacific"],
  [15, "MEM", "Memphis", "Grizzlies", "West", "Southwest"],
  [16, "MIA", "Miami", "Heat", "East", "Southeast"],
  [17, "MIL", "Milwaukee", "Bucks", "East", "Central"],
  [18, "MIN", "Minnesota", "Timberwolves", "West", "Northwest"],
  [19, "NOP", "New Orleans", "Pelicans", "West", "Southwest"],
  [20, "NYK", "New York", "Knicks", "East", "Atlantic"],
  [21, "OKC", "Oklahoma City", "Thunder", "West", "Northwest"],
  [22, "ORL", "Orlando", "Magic", "East", "Southeast"],
  [23, "PHI", "Philadelphia", "76ers", "East", "Atlantic"],
  [24, "PHX", "Phoenix", "Suns", "West", "Pacific"],
  [25, "POR", "Portland", "Trail Blazers", "West", "Northwest"],
  [26, "SAC", "Sacramento", "Kings", "West", "Pacific"],
  [27, "SAS", "San Antonio", "Spurs", "West", "Southwest"],
  [28, "TOR", "Toronto", "Raptors", "East", "Atlantic"],
  [29, "UTA", "Utah", "Jazz", "West", "Northwest"],
  [30, "WAS", "Washington", "Wizards", "East", "Southeast"],
];

const FIRST =
  "Aaron Adrian Alec Amari Andre Arlo Bastian Bennett Caleb Camden Cedric Dante Darius Dax Declan Desmond Elias Emeka Ezra Felix Gideon Harlan Idris Isaiah Jalen Jasper Jonah Kai Kellan Kofi Lamar Landon Levi Lucian Malik Marcus Mateo Milo Nico Niles Omar Orion Pascal Quincy Rafael Reid Rocco Roman Rowan Silas Soren Tariq Theo Tobias Tristan Ulric Vance Wesley Xavier Yusuf Zane".split(
    " ",
  );
const LAST =
  "Abara Ashford Baptiste Beaumont Blackwood Calder Castellanos Delacroix Drummond Eastwood Ellery Fairbanks Falconer Garrity Greaves Hallett Hawthorne Ibsen Ingram Jarrell Kasprzak Kilbride Lachance Lindqvist Marchetti Mbeki Northcott Okafor Oyelaran Pemberton Quarles Radcliffe Rosales Saltzman Sorensen Tanaka Thibodeau Underhill Valdivia Vasquez Whitlock Winslow Yardley Zamora Achterberg Brightwater Coldwell Dunmore Everhart Foxworth Goldberg Hargrove Ironside Kettering Loveridge Moncrieff Nakamura Osterman Prewitt Redgrave Davis Johnson Williams Brown Jones Miller Wilson Moore".split(
    " ",
  );
const COLLEGES = [
  "Northfield",
  "Lakeshore State",
  "Pinecrest",
  "Riverside Tech",
  "Summit",
  "Westbrook",
  "Harbor",
  "Mesa State",
  "Eastgate",
  "Clearwater",
];
const COUNTRIES = [
  "USA",
  "USA",
  "USA",
  "USA",
  "USA",
  "Canada",
  "France",
  "Nigeria",
  "Serbia",
  "Australia",
  "Spain",
  "Germany",
];
const POSITIONS = ["G", "G", "G", "G-F", "F", "F", "F", "F-C", "C", "C", "G", "F", "G-F", "F", "C"];

/** Seeded random draws; every draw advances one shared sequence. */
interface Random {
  next: () => number;
  between: (min: number, max: number) => number;
  int: (min: number, max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  binomial: (n: number, p: number) => number;
  noise: (spread: number) => number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const between = (min: number, max: number): number => min + next() * (max - min);
  return {
    next,
    between,
    int: (min, max) => Math.floor(between(min, max + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    binomial: (n, p) => {
      let k = 0;
      for (let i = 0; i < n; i++) if (next() < p) k++;
      return k;
    },
    noise: (spread) => 1 + (next() + next() + next() - 1.5) * spread,
  };
}

/** A generated player: the dataset row and the tendencies its box scores are drawn from. */
interface GeneratedPlayer {
  id: number;
  teamId: number;
  position: string;
  /** 0..1; starters high. */
  quality: number;
  shotsPer36: number;
  threeRate: number;
  p2: number;
  p3: number;
  freeThrowRate: number;
  pft: number;
  rebPer36: number;
  astPer36: number;
  row: PlayerTuple;
}

function generatePlayers(random: Random): GeneratedPlayer[] {
  const { between, int, pick } = random;
  const players: GeneratedPlayer[] = [];
  const usedNames = new Set<string>();
  for (const [teamId] of TEAMS) {
    const jerseys = new Set<number>();
    for (let slot = 0; slot < ROSTER; slot++) {
      let first: string;
      let last: string;
      do {
        first = pick(FIRST);
        last = pick(LAST);
      } while (usedNames.has(`${first} ${last}`));
      usedNames.add(`${first} ${last}`);
      let jersey: number;
      do jersey = int(0, 55);
      while (jerseys.has(jersey));
      jerseys.add(jersey);
      const position = POSITIONS[slot] ?? "F";
      const big = position.includes("C");
      const guard = position.startsWith("G");
      const inches = guard ? int(73, 78) : big ? int(82, 86) : int(78, 82);
      const quality = Math.max(0.05, 1 - slot / ROSTER + between(-0.1, 0.1));
      const id = players.length + 1;
      const draftYear = int(2010, 2023);
      players.push({
        id,
        teamId,
        position,
        quality,
        shotsPer36: between(7.5, 10.5) + quality * 6,
        threeRate: guard ? between(0.35, 0.55) : big ? between(0.02, 0.2) : between(0.25, 0.45),
        p2: big ? between(0.54, 0.64) : between(0.47, 0.56),
        p3: between(0.31, 0.41),
        freeThrowRate: between(0.18, 0.35),
        pft: big ? between(0.62, 0.78) : between(0.75, 0.9),
        rebPer36: guard ? between(3.5, 6) : big ? between(9, 13) : between(6, 9),
        astPer36: guard ? between(4.5, 8.5) : big ? between(1.5, 3.5) : between(2.5, 4.5),
        row: [
          id,
          first,
          last,
          position,
          `${Math.floor(inches / 12)}-${inches % 12}`,
          String(Math.round(inches * 2.9 + between(-12, 22))),
          String(jersey),
          pick(COLLEGES),
          pick(COUNTRIES),
          draftYear,
          teamId,
        ],
      });
    }
  }
  return players;
}

/** One team's box score in one game, and the points it adds up to. */
function boxScore(
  random: Random,
  players: readonly GeneratedPlayer[],
  gameId: number,
  teamId: number,
  periods: number,
): { points: number; lines: StatTuple[] } {
  const { next, binomial, noise } = random;
  const roster = players.filter((p) => p.teamId === teamId).sort((a, b) => b.quality - a.quality);
  const active = roster
    .filter((_, rank) => (rank < 8 ? next() > 0.05 : next() < 0.35))
    .slice(0, 11);
  const weights = active.map(
    (p, rank) =>
      Math.max(3, [36, 34, 33, 31, 29, 24, 20, 16, 12, 8, 5][rank] ?? 5) *
      noise(0.3) *
      (0.6 + p.quality),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const teamMinutes = 240 + (periods - 4) * 25;
  const lines: StatTuple[] = [];
  let points = 0;
  active.forEach((p, index) => {
    const minutes = Math.max(
      1,
      Math.min(48 + (periods - 4) * 5, Math.round(((weights[index] ?? 0) / total) * teamMinutes)),
    );
    const scale = minutes / 36;
    const fga = Math.max(0, Math.round(p.shotsPer36 * scale * noise(0.5)));
    const fg3a = binomial(fga, p.threeRate);
    const fg3m = binomial(fg3a, p.p3);
    const fg2m = binomial(fga - fg3a, p.p2);
    const fta = Math.max(0, Math.round(fga * p.freeThrowRate * noise(0.8)));
    const ftm = binomial(fta, p.pft);
    const reb = Math.max(0, Math.round(p.rebPer36 * scale * noise(0.6)));
    const oreb = binomial(reb, p.position.includes("C") ? 0.3 : 0.18);
    const ast = Math.max(0, Math.round(p.astPer36 * scale * noise(0.6)));
    const stl = binomial(Math.round(minutes / 4), 0.12);
    const blk = binomial(Math.round(minutes / 4), p.position.includes("C") ? 0.14 : 0.04);
    const tov = binomial(Math.round(minutes / 3), 0.14);
    const pf = Math.min(6, binomial(Math.round(minutes / 3), 0.17));
    points += 2 * fg2m + 3 * fg3m + ftm;
    lines.push([
      gameId,
      p.id,
      teamId,
      minutes,
      fg2m + fg3m,
      fga,
      fg3m,
      fg3a,
      ftm,
      fta,
      oreb,
      reb - oreb,
      ast,
      stl,
      blk,
      tov,
      pf,
    ]);
  });
  return { points, lines };
}

/** The season's games and box scores: 82 rounds of 15 games, so every team plays 82 games. */
function generateSeason(
  random: Random,
  players: readonly GeneratedPlayer[],
): { games: GameTuple[]; stats: StatTuple[] } {
  const games: GameTuple[] = [];
  const stats: StatTuple[] = [];
  const homeGames = new Map<number, number>(TEAMS.map(([id]) => [id, 0]));
  const teamBox = (gameId: number, teamId: number, periods: number) =>
    boxScore(random, players, gameId, teamId, periods);
  for (let round = 0; round < ROUNDS; round++) {
    const order = TEAMS.map(([id]) => id).sort(() => random.next() - 0.5);
    const date = new Date(SEASON_START + Math.floor((round * SEASON_DAYS) / ROUNDS) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    for (let i = 0; i < order.length; i += 2) {
      let home = order[i] as number;
      let visitor = order[i + 1] as number;
      // Keep home games near 41 each.
      if ((homeGames.get(home) ?? 0) > (homeGames.get(visitor) ?? 0))
        [home, visitor] = [visitor, home];
      homeGames.set(home, (homeGames.get(home) ?? 0) + 1);
      const gameId = games.length + 1;
      let periods = 4;
      let homeBox = teamBox(gameId, home, periods);
      let visitorBox = teamBox(gameId, visitor, periods);
      while (homeBox.points === visitorBox.points && periods < 7) {
        periods++;
        homeBox = teamBox(gameId, home, periods);
        visitorBox = teamBox(gameId, visitor, periods);
      }
      if (homeBox.points === visitorBox.points) {
        // Still tied after three overtimes: a last free throw decides it.
        const line = homeBox.lines[0] as StatTuple;
        line[8] += 1; // ftm
        line[9] += 1; // fta
        homeBox.points++;
      }
      games.push([gameId, date, home, visitor, homeBox.points, visitorBox.points, periods]);
      stats.push(...homeBox.lines, ...visitorBox.lines);
    }
  }
  return { games, stats };
}

/** Generates the whole dataset from a seed, without I/O: the same seed gives the same dataset. */
export function generateStatsDataset(seed: number = SEED): StatsDataset {
  const random = createRandom(seed);
  const players = generatePlayers(random);
  const { games, stats } = generateSeason(random, players);
  return {
    name: "synthetic-nba-2023",
    description:
      "SYNTHETIC basketball data for testing: the 30 real NBA teams with fictional players, a generated 2023-24 regular season and box scores. Not real NBA results.",
    source: `Generated by scripts/generate-stats-dataset.ts (plugkit) with seed ${seed}.`,
    license:
      "CC0-1.0. Team names, cities, conferences and divisions are public facts; everything else is invented.",
    season: SEASON,
    columns: DATASET_COLUMNS,
    teams: TEAMS.map((team): TeamTuple => [...team]),
    players: players.map((p) => p.row),
    games,
    stats,
  };
}

/** Writes the dataset to the path given (the committed asset by default) and says what it wrote. */
function main(args: readonly string[]): void {
  // An output path may be given, e.g. by the test that checks the committed file is current.
  const out = args[0] ?? join(__dirname, "..", "assets", "stats", "synthetic-nba-2023.json.gz");
  const dataset = generateStatsDataset(SEED);
  const json = JSON.stringify(dataset);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, gzipSync(json, { level: 9 }));
  console.log(
    `wrote ${out}: ${dataset.teams.length} teams, ${dataset.players.length} players, ${dataset.games.length} games, ${dataset.stats.length} stat lines (${json.length} bytes of JSON)`,
  );
}

if (require.main === module) main(process.argv.slice(2));
