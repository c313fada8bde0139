import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccountService, createLogger, type AccountService } from "plugkit";
import { createApp, type App, type CreateAppOptions } from "../../src/app";
import { loadConfig } from "../../src/config";

/** A line the app logged. */
export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  request_id?: string;
  [key: string]: unknown;
}

/** A plugin app on a fresh SQLite file in its own temp directory. */
export interface TestApp extends App {
  dir: string;
  databasePath: string;
  /** The app's accounts, as the accounts CLI manages them. */
  accounts: AccountService;
  /** Every line the app logged, parsed. */
  logged: LogLine[];
  /** The lines logged at level error: server errors. */
  errors(): LogLine[];
  /** Closes the store and deletes the directory. */
  dispose(): Promise<void>;
}

/** Builds the real app, configured as `npm start` would be from `env`, on a new database file. */
export function createTestApp(
  env: Record<string, string> = {},
  options: CreateAppOptions = {},
): TestApp {
  const dir = mkdtempSync(join(tmpdir(), "plugkit-test-"));
  const databasePath = join(dir, "todos.db");
  const logged: LogLine[] = [];
  const logger = createLogger({
    level: "debug",
    destination: { write: (line) => logged.push(JSON.parse(line) as LogLine) },
  });
  const app = createApp(loadConfig({ DATABASE_URL: `file:${databasePath}`, ...env }), {
    logger,
    ...options,
  });
  return {
    ...app,
    dir,
    databasePath,
    accounts: createAccountService(app.database.auth, options.clock),
    logged,
    errors: () => logged.filter((line) => line.level === "error"),
    dispose: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
