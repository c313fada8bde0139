import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";

let testApp: TestApp;
afterEach(async () => {
  await testApp.dispose();
});

const preflight = (origin: string, method = "POST") =>
  request(testApp.app)
    .options("/todos/global")
    .set("Origin", origin)
    .set("Access-Control-Request-Method", method)
    .set("Access-Control-Request-Headers", "content-type")
    .set("Access-Control-Request-Private-Network", "true");

describe("CORS", () => {
  it.each(["https://chat.openai.com", "https://chatgpt.com"])(
    "answers a preflight from %s, allowing private network access",
    async (origin) => {
      testApp = createTestApp();
      const res = await preflight(origin);
      expect(res.status).toBe(204);
      expect(res.headers["access-control-allow-origin"]).toBe(origin);
      expect(res.headers["access-control-allow-methods"]).toContain("POST");
      expect(res.headers["access-control-allow-methods"]).toContain("DELETE");
      expect(res.headers["access-control-allow-headers"]).toContain("content-type");
      expect(res.headers["access-control-allow-private-network"]).toBe("true");
    },
  );

  it("allows ChatGPT to read the manifest and the API from the browser", async () => {
    testApp = createTestApp();
    for (const path of [
      "/.well-known/ai-plugin.json",
      "/openapi.yaml",
      "/logo.png",
      "/todos/global",
    ]) {
      const res = await request(testApp.app).get(path).set("Origin", "https://chatgpt.com");
      expect(res.headers["access-control-allow-origin"], path).toBe("https://chatgpt.com");
    }
  });

  it("gives another origin no CORS headers, so browsers refuse it", async () => {
    testApp = createTestApp();
    const res = await preflight("https://evil.example.com");
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    expect(res.headers["access-control-allow-private-network"]).toBeUndefined();
    const get = await request(testApp.app)
      .get("/todos/global")
      .set("Origin", "https://evil.example.com");
    expect(get.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("uses the origins in CORS_ORIGINS instead of the defaults", async () => {
    testApp = createTestApp({ CORS_ORIGINS: "http://localhost:5173, https://app.example.com" });
    expect((await preflight("http://localhost:5173")).headers["access-control-allow-origin"]).toBe(
      "http://localhost:5173",
    );
    expect(
      (await preflight("https://chatgpt.com")).headers["access-control-allow-origin"],
    ).toBeUndefined();
  });

  it("allows any origin with CORS_ORIGINS=*", async () => {
    testApp = createTestApp({ CORS_ORIGINS: "*" });
    const res = await preflight("https://anything.example.com");
    expect(res.headers["access-control-allow-origin"]).toBe("https://anything.example.com");
  });
});
