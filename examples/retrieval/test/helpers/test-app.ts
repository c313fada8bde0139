import { afterEach } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccountService, createLogger, type AccountService } from "plugkit";
import { createApp, type App } from "../../src/app";
import { loadConfig } from "../../src/config";

/** The retrieval plugin on a new SQLite file, configured as `npm start` would be from `env`. */
export interface TestApp extends App {
  accounts: AccountService;
  dispose(): Promise<void>;
}

export function createTestApp(env: Record<string, string> = {}): TestApp {
  const dir = mkdtempSync(join(tmpdir(), "retrieval-test-"));
  const app = createApp(
    loadConfig({ DATABASE_URL: `file:${join(dir, "retrieval.db")}`, API_RATE_LIMIT: "0", ...env }),
    { logger: createLogger({ level: "silent" }) },
  );
  return {
    ...app,
    accounts: createAccountService(app.database.auth),
    dispose: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A `start(env)` for a test file: each app it starts is disposed after each test.
 * @param defaults variables every app of the file gets (overridden by `env`)
 */
export function testApps(
  defaults: () => Record<string, string> = () => ({}),
): (env?: Record<string, string>) => TestApp {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.dispose();
  });
  return (env = {}) => {
    const app = createTestApp({ ...defaults(), ...env });
    apps.push(app);
    return app;
  };
}
