import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";

/** The PostgreSQL server the tests may use, or null when none answers (see test/global-setup.ts). */
export const POSTGRES_URL = inject("postgresUrl");
/** The Redis server the tests may use, or null when none answers. */
export const REDIS_URL = inject("redisUrl");

/** A database of its own for one test file, created on the test server and dropped after. */
export interface TestPostgres {
  /** Its `DATABASE_URL`. */
  url: string;
  drop(): Promise<void>;
}

/** The test server's URL with a user: libpq's default (the OS user) when it names none. */
function serverUrl(): URL {
  if (POSTGRES_URL === null) throw new Error("no PostgreSQL to test against");
  const url = new URL(POSTGRES_URL);
  if (url.username === "") url.username = process.env["PGUSER"] ?? userInfo().username;
  return url;
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl().toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the test server (names are random: test files run in parallel). */
export async function createTestPostgres(): Promise<TestPostgres> {
  const name = `plugkit_test_${randomBytes(6).toString("hex")}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = serverUrl();
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A Redis key prefix of its own, so test files sharing one Redis never meet. */
export function testRedisPrefix(): string {
  return `plugkit-test:${randomBytes(6).toString("hex")}:`;
}

/** A database a server process is started on: its `DATABASE_URL`, and how to remove it. */
export interface ServerDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * The databases a server-process suite runs on: a SQLite file in a temporary directory, and a
 * PostgreSQL database of its own when one is reachable.
 */
export const SERVER_DATABASES: { name: string; create(): Promise<ServerDatabase> }[] = [
  {
    name: "SQLite",
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), "plugkit-db-"));
      return {
        url: `file:${join(dir, "plugkit.db")}`,
        drop: async () => {
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  ...(POSTGRES_URL === null ? [] : [{ name: "PostgreSQL", create: createTestPostgres }]),
];
