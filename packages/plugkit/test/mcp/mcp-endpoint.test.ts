import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { Express, Router } from "express";
import { silentLogger } from "../../src/logging/logger";
import { createPluginApp } from "../../src/server/create-plugin-app";
import { closePluginApp } from "../../src/server/plugin-runtime";
import type { OpenApiDocument } from "../../src/spec/openapi-types";
import { TEST_MANIFEST, TEST_SPEC } from "../fixtures";

const LOGO = readFileSync(join(__dirname, "..", "..", "templates", "init", "assets", "logo.png"));
const apps: Express[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await closePluginApp(app);
});

// Two operations of a plugin written by hand: one answers more than the assistant accepts, one
// echoes what reached it (the body, the query, and headers a client cannot forge through MCP).
const SPEC: OpenApiDocument = {
  ...TEST_SPEC,
  paths: {
    "/big": { get: { operationId: "getBig", summary: "Too much", responses: {} } },
    "/echo/{id}": {
      post: {
        operationId: "echo",
        summary: "Echo",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "tags", in: "query", schema: { type: "array", items: { type: "string" } } },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { type: "object", properties: { note: { type: "string" } } },
            },
          },
        },
        responses: {
          "200": {
            description: "OK",
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      },
    },
  },
};

function app(): Express {
  const created = createPluginApp({
    registerRoutes: (router: Router) => {
      router.get("/big", (_req, res) => {
        res.json({ items: "x".repeat(120_000) });
      });
      router.post("/echo/:id", (req, res) => {
        res.json({
          id: req.params["id"],
          query: req.query,
          body: req.body as unknown,
          forwardedFor: req.get("x-forwarded-for") ?? null,
          requestId: req.get("x-request-id"),
        });
      });
    },
    manifest: TEST_MANIFEST,
    spec: SPEC,
    logo: LOGO,
    logger: silentLogger,
  });
  apps.push(created);
  return created;
}

const call = (name: string, args: Record<string, unknown>) =>
  request(app())
    .post("/mcp")
    .set("Accept", "application/json, text/event-stream")
    .send({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: args } });

describe("a tool call, dispatched through the plugin's app", () => {
  it("builds the path, the query (arrays repeated) and the body from the arguments", async () => {
    const res = await call("echo", { id: "a/b c", tags: ["x", "y"], note: "hi ✓" });
    expect(res.body.result.isError).toBeUndefined();
    expect(res.body.result.structuredContent).toEqual({
      id: "a/b c",
      query: { tags: ["x", "y"] },
      body: { note: "hi ✓" },
      forwardedFor: null,
      requestId: res.headers["x-request-id"],
    });
    expect(JSON.parse(res.body.result.content[0].text)).toEqual(res.body.result.structuredContent);
  });

  it("answers an over-long response with the 100,000-character guard's error, as a tool error", async () => {
    const res = await call("getBig", {});
    expect(res.body.result.isError).toBe(true);
    expect(res.body.result.content[0].text).toMatch(
      /^Error 500 response_too_large: The answer is 120012 characters, over the 100000/,
    );
  });

  it("says which required argument is missing", async () => {
    const res = await call("echo", { note: "no id" });
    expect(res.body.result).toEqual({
      content: [{ type: "text", text: "Missing required argument: id." }],
      isError: true,
    });
  });

  it("lists the operations as tools with JSON Schemas, and serves no MCP with mcp: false", async () => {
    const list = await request(app())
      .post("/mcp")
      .set("Accept", "application/json, text/event-stream")
      .send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const { tools } = (list.body as { result: { tools: { name: string }[] } }).result;
    expect(tools.map((t) => t.name)).toEqual(["getBig", "echo"]);
    const off = createPluginApp({
      registerRoutes: () => undefined,
      manifest: TEST_MANIFEST,
      spec: SPEC,
      logo: LOGO,
      logger: silentLogger,
      mcp: false,
    });
    apps.push(off);
    expect((await request(off).post("/mcp").send({})).status).toBe(404);
  });
});
