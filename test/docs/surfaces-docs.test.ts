import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";

// The README's "Three surfaces" section, held to what the server does.
const README = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
const SECTION = README.slice(
  README.indexOf("## Three surfaces"),
  README.indexOf("\n## ", README.indexOf("## Three surfaces") + 1),
);

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.dispose();
});
function start(env: Record<string, string>): TestApp {
  const app = createTestApp({ PUBLIC_URL: "https://your-host", ...env });
  apps.push(app);
  return app;
}

/** The `https://your-host/...` URLs the section names after a label, e.g. "Token URL: ". */
function urlAfter(label: string): string {
  const match = new RegExp(`${label}: \`(https://your-host/[^\`]+)\``).exec(SECTION);
  if (match?.[1] === undefined) throw new Error(`the README names no ${label}`);
  return match[1];
}

describe("the README's three surfaces", () => {
  it("names URLs the server serves: the manifest, the Action's spec and the MCP endpoint", async () => {
    const { app } = start({});
    const urls = [...SECTION.matchAll(/`https:\/\/your-host(\/[^`]*)`/g)].map((m) => m[1] ?? "");
    expect(urls).toEqual(
      expect.arrayContaining(["/.well-known/ai-plugin.json", "/openapi.actions.json", "/mcp"]),
    );
    expect((await request(app).get("/.well-known/ai-plugin.json")).status).toBe(200);
    const actions = await request(app).get("/openapi.actions.json");
    expect(actions.status).toBe(200);
    expect(actions.body.servers).toEqual([{ url: "https://your-host" }]);
    const mcp = await request(app)
      .post("/mcp")
      .set("Accept", "application/json, text/event-stream")
      .send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(mcp.status).toBe(200);
    expect(mcp.body.result.tools.length).toBeGreaterThan(0);
  });

  it("gives the GPT editor the OAuth URLs the Action's spec declares", async () => {
    const { app } = start({ PLUGIN_AUTH: "oauth" });
    const actions = await request(app).get("/openapi.actions.json");
    const flow = actions.body.components.securitySchemes.plugin.flows.authorizationCode;
    expect(urlAfter("Authorization URL")).toBe(flow.authorizationUrl);
    expect(urlAfter("Token URL")).toBe(flow.tokenUrl);
  });

  it("names the resource metadata an MCP client is sent to", async () => {
    const { app } = start({ PLUGIN_AUTH: "oauth" });
    const res = await request(app)
      .post("/mcp")
      .set("Accept", "application/json, text/event-stream")
      .send({ jsonrpc: "2.0", id: 1, method: "initialize" });
    const named = /`(\/\.well-known\/oauth-protected-resource\/mcp)`/.exec(SECTION)?.[1];
    expect(named).toBeDefined();
    expect(res.headers["www-authenticate"]).toContain(
      `resource_metadata="https://your-host${named ?? ""}"`,
    );
  });
});
