import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createPluginApp } from "../../src/server/create-plugin-app";
import { closePluginApp, pluginRuntimeOf } from "../../src/server/plugin-runtime";
import { openPluginDatabase } from "../../src/store/plugin-database";
import { TEST_MANIFEST, TEST_SPEC } from "../fixtures";
import { silentLogger } from "../../src/logging/logger";
import type { Express } from "express";

const LOGO = readFileSync(join(__dirname, "..", "..", "templates", "init", "assets", "logo.png"));
const apps: Express[] = [];

function appWith(options: Partial<Parameters<typeof createPluginApp>[0]> = {}): Express {
  const app = createPluginApp({
    registerRoutes: () => undefined,
    manifest: TEST_MANIFEST,
    spec: TEST_SPEC,
    logo: LOGO,
    logger: silentLogger,
    ...options,
  });
  apps.push(app);
  return app;
}

afterEach(async () => {
  for (const app of apps.splice(0)) await closePluginApp(app);
});

describe("/healthz and /readyz", () => {
  it("says the process is up, and ready when its database answers", async () => {
    const database = openPluginDatabase({ kind: "sqlite", path: ":memory:" });
    const app = appWith({ database });
    const health = await request(app).get("/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok" });
    expect(health.headers["cache-control"]).toBe("no-store");
    const ready = await request(app).get("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready", checks: { database: "ok" } });

    await database.close();
    // The last answer holds for a second, so a flood of probes costs one query a second.
    expect((await request(app).get("/readyz")).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const closed = await request(app).get("/readyz");
    expect(closed.status).toBe(503);
    // Which dependency, not why: the reason (hosts, users) goes to the log only.
    expect(closed.body).toEqual({
      error: "not_ready",
      message: "Not ready: database not answering.",
      checks: { database: "unavailable" },
    });
    // Still up: a restart would not help.
    expect((await request(app).get("/healthz")).status).toBe(200);
  });

  it("is not ready while Redis does not answer", async () => {
    // Nothing listens on port 9 (discard) here: every connection is refused.
    const app = appWith({
      config: { redis: { url: "redis://127.0.0.1:9", tlsVerify: true, keyPrefix: "t:" } },
    });
    const ready = await request(app).get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.headers["retry-after"]).toBe("5");
    expect(ready.body.checks.redis).not.toBe("ok");
  });

  it("answers 503 shutting_down while draining, and closes each connection after its response", async () => {
    const app = appWith();
    pluginRuntimeOf(app).draining = true;
    const ready = await request(app).get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ error: "shutting_down" });
    expect(ready.headers["connection"]).toBe("close");
  });

  it("keeps both out of the model-facing spec", async () => {
    const app = appWith();
    const spec = await request(app).get("/openapi.json");
    expect(JSON.stringify(spec.body)).not.toMatch(/healthz|readyz/);
  });
});
