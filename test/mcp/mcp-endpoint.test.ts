import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";

// The MCP endpoint at the HTTP level: what a client that gets something wrong is told.
const apps: TestApp[] = [];
function start(env: Record<string, string> = {}): TestApp {
  const app = createTestApp(env);
  apps.push(app);
  return app;
}
afterEach(async () => {
  for (const app of apps.splice(0)) await app.dispose();
});

const MCP_HEADERS = { Accept: "application/json, text/event-stream" };
const rpc = (method: string, params: unknown = {}, id = 1) => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});
const call = (name: string, args: Record<string, unknown>) =>
  rpc("tools/call", { name, arguments: args });

describe("POST /mcp", () => {
  it("answers GET and DELETE with 405 and a JSON-RPC error: the server keeps no sessions", async () => {
    const { app } = start();
    for (const res of [await request(app).get("/mcp"), await request(app).delete("/mcp")]) {
      expect(res.status).toBe(405);
      expect(res.headers["allow"]).toBe("POST");
      expect(res.body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32000 } });
    }
  });

  it("answers a body that is not JSON with a JSON-RPC parse error, and an unknown method with -32601", async () => {
    const { app } = start();
    const garbled = await request(app)
      .post("/mcp")
      .set(MCP_HEADERS)
      .set("Content-Type", "application/json")
      .send("{not json");
    expect(garbled.status).toBe(400);
    expect(garbled.body).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "Parse error: the body is not valid JSON." },
    });
    const unknown = await request(app).post("/mcp").set(MCP_HEADERS).send(rpc("tools/frobnicate"));
    expect(unknown.body).toMatchObject({ id: 1, error: { code: -32601 } });
  });

  it("refuses a tool call with arguments the operation does not take, naming the ones it does", async () => {
    const { app } = start();
    const res = await request(app)
      .post("/mcp")
      .set(MCP_HEADERS)
      .send(call("getTodos", { username: "a", colour: "red" }));
    expect(res.body.result).toEqual({
      content: [{ type: "text", text: "Unknown argument: colour. This tool takes username." }],
      isError: true,
    });
  });

  it("counts each MCP request once against the API rate limit: over it, 429 with Retry-After", async () => {
    const { app } = start({ API_RATE_LIMIT: "2" });
    const statuses = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await request(app)
        .post("/mcp")
        .set(MCP_HEADERS)
        .send(call("getTodos", { username: "a" }));
      statuses.push(last.status);
    }
    // Two tool calls went through: the operation they ran was not counted a second time.
    expect(statuses).toEqual([200, 200, 429]);
    expect(last?.headers["retry-after"]).toMatch(/^\d+$/);
    expect(last?.body).toMatchObject({ error: "rate_limited" });
    // The same caller's plain API calls share the count.
    expect((await request(app).get("/todos/a")).status).toBe(429);
  });

  it("with PLUGIN_AUTH=oauth, answers 401 pointing at the MCP endpoint's resource metadata", async () => {
    const { app } = start({ PLUGIN_AUTH: "oauth" });
    const res = await request(app).post("/mcp").set(MCP_HEADERS).send(rpc("initialize"));
    expect(res.status).toBe(401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(
      res.headers["www-authenticate"] as string,
    )?.[1];
    expect(metadataUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp$/,
    );
    const metadata = await request(app).get(new URL(metadataUrl ?? "").pathname);
    expect(metadata.body.resource).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it("is not served with MCP_ENABLED=false", async () => {
    const { app } = start({ MCP_ENABLED: "false" });
    const res = await request(app).post("/mcp").set(MCP_HEADERS).send(rpc("tools/list"));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: "not_found" });
  });
});

describe("GET /openapi.actions.json", () => {
  it("serves the GPT Action's spec: OpenAPI 3.1 with this origin and the auth type's scheme", async () => {
    const { app } = start({ PLUGIN_AUTH: "oauth", PUBLIC_URL: "https://todo.example.com" });
    const res = await request(app).get("/openapi.actions.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.servers).toEqual([{ url: "https://todo.example.com" }]);
    expect(res.body.components.securitySchemes.plugin).toEqual({
      type: "oauth2",
      flows: {
        authorizationCode: {
          authorizationUrl: "https://todo.example.com/oauth/authorize",
          tokenUrl: "https://todo.example.com/oauth/token",
          refreshUrl: "https://todo.example.com/oauth/token",
          scopes: {},
        },
      },
    });
    expect(res.body.paths["/todos/{username}"].delete["x-openai-isConsequential"]).toBe(true);
  });

  it("has no security scheme with PLUGIN_AUTH=none, and bearer with service_http", async () => {
    const none = await request(start().app).get("/openapi.actions.json");
    expect(none.body.components.securitySchemes).toBeUndefined();
    expect(none.body.paths["/todos/{username}"].get.security).toBeUndefined();
    const service = await request(
      start({ PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: "k".repeat(40) }).app,
    ).get("/openapi.actions.json");
    expect(service.body.components.securitySchemes.plugin).toEqual({
      type: "http",
      scheme: "bearer",
    });
  });
});
