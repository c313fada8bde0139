import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createTestApp, type TestApp } from "../helpers/test-app";

let testApp: TestApp;
afterEach(async () => {
  await testApp.dispose();
});

interface Served {
  manifest: { api: { url: string }; logo_url: string; legal_info_url: string };
  yamlServer: string;
  jsonServer: string;
}

async function served(headers: Record<string, string>): Promise<Served> {
  const get = (path: string) => {
    let req = request(testApp.app).get(path);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req;
  };
  const manifest = await get("/.well-known/ai-plugin.json");
  const yaml = await get("/openapi.yaml");
  const json = await get("/openapi.json");
  expect([manifest.status, yaml.status, json.status]).toEqual([200, 200, 200]);
  return {
    manifest: manifest.body as Served["manifest"],
    yamlServer: (parse(yaml.text) as { servers: { url: string }[] }).servers[0]?.url ?? "",
    jsonServer: (json.body as { servers: { url: string }[] }).servers[0]?.url ?? "",
  };
}

function expectOrigin(result: Served, origin: string): void {
  expect(result.manifest.api.url).toBe(`${origin}/openapi.yaml`);
  expect(result.manifest.logo_url).toBe(`${origin}/logo.png`);
  expect(result.yamlServer).toBe(origin);
  expect(result.jsonServer).toBe(origin);
}

describe("public origin in the manifest and spec", () => {
  beforeEach(() => {
    testApp = createTestApp();
  });

  it("uses http for localhost from the Host header", async () => {
    expectOrigin(await served({ Host: "localhost:3333" }), "http://localhost:3333");
  });

  it("uses http for 127.0.0.1 and [::1]", async () => {
    expectOrigin(await served({ Host: "127.0.0.1:3333" }), "http://127.0.0.1:3333");
    expectOrigin(await served({ Host: "[::1]:3333" }), "http://[::1]:3333");
  });

  it("uses https for any other host", async () => {
    expectOrigin(await served({ Host: "todo.example.com" }), "https://todo.example.com");
  });

  it("drops the default port of the scheme", async () => {
    expectOrigin(await served({ Host: "todo.example.com:443" }), "https://todo.example.com");
  });

  it("never writes the placeholder or a description change into served files", async () => {
    const res = await request(testApp.app).get("/openapi.yaml").set("Host", "todo.example.com");
    expect(res.text).not.toContain("PLUGIN_HOSTNAME");
    const manifest = await request(testApp.app)
      .get("/.well-known/ai-plugin.json")
      .set("Host", "todo.example.com");
    expect(manifest.text).not.toContain("PLUGIN_HOSTNAME");
    expect((manifest.body as Served["manifest"]).legal_info_url).toBe("https://example.com/legal");
  });

  it("marks the files as varying by host so caches keep origins apart", async () => {
    const res = await request(testApp.app).get("/openapi.yaml").set("Host", "localhost:3333");
    expect(res.headers["vary"]).toMatch(/Host/);
    expect(res.headers["content-type"]).toBe("application/yaml; charset=utf-8");
  });

  it("answers 400 JSON for a Host header that is not a host", async () => {
    const res = await request(testApp.app)
      .get("/.well-known/ai-plugin.json")
      .set("Host", 'evil.com"');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_host");
  });

  it("ignores X-Forwarded-* by default: no proxy is trusted unless TRUSTED_PROXY_HOPS says so", async () => {
    expectOrigin(
      await served({
        Host: "localhost:3333",
        "X-Forwarded-Host": "evil.example.com",
        "X-Forwarded-Proto": "https",
      }),
      "http://localhost:3333",
    );
  });
});

describe("behind a trusted proxy (TRUSTED_PROXY_HOPS=1, as on Heroku and Fly.io)", () => {
  beforeEach(() => {
    testApp = createTestApp({ TRUSTED_PROXY_HOPS: "1" });
  });

  it("follows the value the trusted proxy wrote (the last), not what the client put before it", async () => {
    expectOrigin(
      await served({
        Host: "internal:8080",
        "X-Forwarded-Host": "evil.example, plugin.example.com",
        "X-Forwarded-Proto": "http,https",
      }),
      "https://plugin.example.com",
    );
  });

  it("uses X-Forwarded-Proto with the Host header, as on Heroku and Fly.io", async () => {
    expectOrigin(
      await served({ Host: "my-todo.fly.dev", "X-Forwarded-Proto": "https" }),
      "https://my-todo.fly.dev",
    );
    expectOrigin(
      await served({ Host: "localhost:3333", "X-Forwarded-Proto": "https" }),
      "https://localhost:3333",
    );
  });

  it.each([
    ["a host with a path", "evil.com/x"],
    ["a host with a quote", 'evil.com"'],
    ["a host with spaces", "evil .com"],
  ])("answers 400 JSON for %s instead of writing it into the files", async (_name, host) => {
    const res = await request(testApp.app)
      .get("/.well-known/ai-plugin.json")
      .set("X-Forwarded-Host", host);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_host");
  });

  it("marks the files as varying by the forwarded host too", async () => {
    const res = await request(testApp.app).get("/openapi.yaml").set("Host", "localhost:3333");
    expect(res.headers["vary"]).toMatch(/X-Forwarded-Host/);
  });
});

describe("PUBLIC_URL", () => {
  it("overrides every request header", async () => {
    testApp = createTestApp({ PUBLIC_URL: "https://todo.example.org/" });
    expectOrigin(
      await served({
        Host: "localhost:3333",
        "X-Forwarded-Host": "other.example.com",
        "X-Forwarded-Proto": "http",
      }),
      "https://todo.example.org",
    );
  });
});

describe("logo", () => {
  it("serves a 512x512 PNG", async () => {
    testApp = createTestApp();
    const res = await request(testApp.app).get("/logo.png");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    const png = res.body as Buffer;
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    // The IHDR chunk holds width and height right after the 8-byte signature and chunk header.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
