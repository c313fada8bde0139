import { join } from "node:path";
import { createLogger, createPluginApp, noAuth } from "plugkit";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RegisterRoutes } from "../../generated/routes";
import { createTestApp, type TestApp } from "../helpers/test-app";

let testApp: TestApp;
beforeEach(() => {
  testApp = createTestApp();
});
afterEach(async () => {
  await testApp.dispose();
});

describe("errors are JSON, never HTML", () => {
  it("answers an unknown path with a JSON 404", async () => {
    const res = await request(testApp.app).get("/nope");
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      error: "not_found",
      message: "There is no GET /nope. The operations are listed in /openapi.yaml.",
    });
  });

  it("answers an unsupported method on a known path with 405, Allow and the JSON error", async () => {
    const res = await request(testApp.app).put("/todos/global").send({ todo: "x" });
    expect(res.status).toBe(405);
    expect(res.headers["allow"]).toBe("DELETE, GET, HEAD, POST");
    expect(res.body).toEqual({
      error: "method_not_allowed",
      message: "PUT is not an operation of /todos/global; it takes DELETE, GET, HEAD, POST.",
    });
    const manifest = await request(testApp.app).post("/.well-known/ai-plugin.json");
    expect(manifest.status).toBe(405);
    expect(manifest.headers["allow"]).toBe("GET, HEAD");
    // A path nobody serves is still a 404, whatever the method.
    expect((await request(testApp.app).put("/todos/global/extra")).status).toBe(404);
    expect((await request(testApp.app).get("/todos")).status).toBe(404);
  });

  it("refuses text no database gives back as sent: NUL anywhere, an unpaired surrogate in JSON", async () => {
    const json = (text: string) =>
      request(testApp.app).post("/todos/global").set("Content-Type", "application/json").send(text);
    for (const res of [
      await request(testApp.app).post("/todos/global").send({ todo: "a\u0000b" }),
      await request(testApp.app).get("/todos/a%00b"),
      await request(testApp.app).get("/players?query=a%00"),
      // JSON's escapes can spell half a surrogate pair: not Unicode text, and SQLite would give
      // it back as three U+FFFD, PostgreSQL as one (found by the long generated-input run).
      await json('{"todo":"a\\ud800b"}'),
      await json('{"todo":"\\udc00"}'),
      await json('{"todo":"x","\\ud83e":1}'),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: "invalid_character",
        message:
          "Text must be Unicode without the NUL character (U+0000) or an unpaired surrogate (\\ud800-\\udfff alone).",
      });
    }
    expect((await request(testApp.app).get("/todos/global")).body).toEqual({ todos: [] });
    // A whole pair, escaped or not, is a character like any other, and comes back intact.
    await json('{"todo":"\\ud83e\\uddfe and 🧾"}').expect(200);
    expect((await request(testApp.app).get("/todos/global")).body).toEqual({
      todos: ["🧾 and 🧾"],
    });
  });

  it("answers malformed JSON with 400 invalid_json", async () => {
    const res = await request(testApp.app)
      .post("/todos/global")
      .set("Content-Type", "application/json")
      .send('{"todo":');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_json");
    expect(res.body.message).toMatch(/^The request body is not valid JSON/);
  });

  it("answers a body over 100kb with 413 and stores nothing", async () => {
    const res = await request(testApp.app)
      .post("/todos/global")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ todo: "x".repeat(200_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe("payload_too_large");
    expect(res.body.message).toContain("102400");
    expect((await request(testApp.app).get("/todos/global")).body).toEqual({ todos: [] });
  });

  it("answers a form-encoded or text body with 415 naming the expected type", async () => {
    const form = await request(testApp.app).post("/todos/global").type("form").send("todo=x");
    expect(form.status).toBe(415);
    expect(form.body.error).toBe("unsupported_media_type");
    expect(form.body.message).toContain("application/json");
    const text = await request(testApp.app)
      .post("/todos/global")
      .set("Content-Type", "text/plain")
      .send("x");
    expect(text.status).toBe(415);
  });

  it("answers a path with broken percent-encoding with 400", async () => {
    const res = await request(testApp.app).get("/todos/%E0%A4%A");
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("tags every response with a request id, reusing a safe incoming one", async () => {
    const fresh = await request(testApp.app).get("/todos/global");
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const given = await request(testApp.app).get("/todos/global").set("X-Request-Id", "abc-123");
    expect(given.headers["x-request-id"]).toBe("abc-123");
    const unsafe = await request(testApp.app).get("/todos/global").set("X-Request-Id", "<script>");
    expect(unsafe.headers["x-request-id"]).not.toBe("<script>");
  });

  it("answers 500 with a request id, without details, when the store fails, and logs it", async () => {
    await testApp.close();
    const res = await request(testApp.app).get("/todos/global").set("X-Request-Id", "req-1");
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: "internal_error",
      message: "The plugin failed to handle this request. Report request id req-1 if it persists.",
      request_id: "req-1",
    });
    expect(testApp.errors()).toEqual([
      expect.objectContaining({ msg: "request failed", request_id: "req-1", status: 500 }),
    ]);
  });
});

describe("the generated routes' authentication", () => {
  it("refuses a request with 401 when the auth type rejects without a reason", async () => {
    const app = createPluginApp({
      root: join(__dirname, "..", ".."),
      registerRoutes: RegisterRoutes,
      auth: { ...noAuth(), authenticate: () => Promise.reject(undefined as unknown as Error) },
      config: { apiRateLimit: { limit: 0, windowSeconds: 60 } },
      logger: createLogger({ level: "silent" }),
    });
    const res = await request(app).get("/todos/alice");
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ message: "Authentication failed." });
  });
});
