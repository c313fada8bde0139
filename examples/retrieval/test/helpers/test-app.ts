import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createAccountService, createLogger, type AccountService } from "plugkit";
import { afterEach, inject } from "vitest";
import { createApp, type App } from "../../src/app";
import { loadConfig } from "../../src/config";

/** The retrieval plugin on a new database, configured as `npm start` would be from `env`. */
export interface TestApp extends App {
  accounts: AccountService;
  /** Its `DATABASE_URL`. */
  databaseUrl: string;
  dispose(): Promise<void>;
}

/** A database the plugin runs on: a new one for each app. */
export interface Backend {
  name: "SQLite" | "PostgreSQL";
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const sqlite: Backend = {
  name: "SQLite",
  create: async () => {
    const dir = mkdtempSync(join(tmpdir(), "retrieval-test-"));
    return {
      url: `file:${join(dir, "retrieval.db")}`,
      drop: async () => {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const POSTGRES_URL = inject("postgresUrl");

async function onServer(sql: string): Promise<void> {
  const url = new URL(POSTGRES_URL ?? "");
  if (url.username === "") url.username = process.env["PGUSER"] ?? userInfo().username;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const postgres: Backend = {
  name: "PostgreSQL",
  create: async () => {
    const name = `retrieval_test_${randomBytes(6).toString("hex")}`;
    await onServer(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES_URL ?? "");
    if (url.username === "") url.username = process.env["PGUSER"] ?? userInfo().username;
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  },
};

/** SQLite always; PostgreSQL when one answers (see test/global-setup.ts). */
export const BACKENDS: readonly Backend[] = POSTGRES_URL === null ? [sqlite] : [sqlite, postgres];

export async function createTestApp(
  env: Record<string, string> = {},
  backend: Backend = sqlite,
): Promise<TestApp> {
  const database = await backend.create();
  const app = createApp(loadConfig({ DATABASE_URL: database.url, API_RATE_LIMIT: "0", ...env }), {
    logger: createLogger({ level: "silent" }),
  });
  await app.database.ready();
  return {
    ...app,
    accounts: createAccountService(app.database.auth),
    databaseUrl: database.url,
    dispose: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * A `start(env)` for a test file: each app it starts, on a new database of `backend`, is
 * disposed after each test.
 * @param defaults variables every app of the file gets (overridden by `env`)
 */
export function testApps(
  backend: Backend = sqlite,
  defaults: () => Record<string, string> = () => ({}),
): (env?: Record<string, string>) => Promise<TestApp> {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.dispose();
  });
  return async (env = {}) => {
    const app = await createTestApp({ ...defaults(), ...env }, backend);
    apps.push(app);
    return app;
  };
}
