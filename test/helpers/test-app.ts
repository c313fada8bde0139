import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccountService, type AccountService, type ErrorLogger } from "plugkit";
import { createApp, type App, type CreateAppOptions } from "../../src/app";
import { loadConfig } from "../../src/config";

/** A plugin app on a fresh SQLite file in its own temp directory. */
export interface TestApp extends App {
  dir: string;
  databasePath: string;
  /** The app's accounts, as the accounts CLI manages them. */
  accounts: AccountService;
  /** Server errors the app logged. */
  logged: { message: string; details: Record<string, unknown> }[];
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
  const logged: TestApp["logged"] = [];
  const logger: ErrorLogger = { error: (message, details) => logged.push({ message, details }) };
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
    dispose: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
