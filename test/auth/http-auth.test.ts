import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SpecValidator } from "../helpers/spec-validator";
import { createTestApp, type TestApp } from "../helpers/test-app";

const KEY = "k".repeat(40);
let testApp: TestApp;
afterEach(async () => {
  expect(testApp.errors(), "no credential failure may cause a server error").toEqual([]);
  await testApp.dispose();
});

const get = (authorization?: string) => {
  const req = request(testApp.app).get("/todos/global");
  return authorization === undefined ? req : req.set("Authorization", authorization);
};

async function served() {
  const manifest = (
    await request(testApp.app).get("/.well-known/ai-plugin.json").set("Host", "todo.example.com")
  ).body;
  const spec = parse(
    (await request(testApp.app).get("/openapi.yaml").set("Host", "todo.example.com")).text,
  );
  return { manifest, spec };
}

describe("PLUGIN_AUTH=none", () => {
  it("lets anyone call, and the served manifest and spec ask for no credentials", async () => {
    testApp = createTestApp();
    expect((await get()).status).toBe(200);
    const { manifest, spec } = await served();
    expect(manifest.auth).toEqual({ type: "none" });
    expect(manifest.api.is_user_authenticated).toBe(false);
    expect(spec.components.securitySchemes).toBeUndefined();
    expect(spec.paths["/todos/{username}"].get.security).toBeUndefined();
    expect(spec.paths["/todos/{username}"].get.responses["401"]).toBeUndefined();
  });

  it("ignores an Authorization header", async () => {
    testApp = createTestApp();
    expect((await get("Bearer whatever")).status).toBe(200);
  });
});

describe("PLUGIN_AUTH=service_http", () => {
  it("accepts the key as a bearer token", async () => {
    testApp = createTestApp({ PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: KEY });
    expect((await get(`Bearer ${KEY}`)).status).toBe(200);
    expect((await get(`bearer ${KEY}`)).status).toBe(200);
  });

  it.each([
    ["missing", undefined, "missing_credentials", 'Bearer realm="plugkit"'],
    ["empty", "", "missing_credentials", 'Bearer realm="plugkit"'],
    [
      "malformed",
      `Bearer ${KEY} extra`,
      "invalid_credentials",
      'Bearer realm="plugkit", error="invalid_request"',
    ],
    [
      "of another scheme",
      `Basic ${KEY}`,
      "invalid_credentials",
      'Bearer realm="plugkit", error="invalid_request"',
    ],
    [
      "wrong",
      `Bearer ${"x".repeat(40)}`,
      "invalid_credentials",
      'Bearer realm="plugkit", error="invalid_token"',
    ],
    [
      "a prefix of the key",
      `Bearer ${KEY.slice(0, 39)}`,
      "invalid_credentials",
      'Bearer realm="plugkit", error="invalid_token"',
    ],
    [
      "absurdly long",
      `Bearer ${"x".repeat(5000)}`,
      "invalid_credentials",
      'Bearer realm="plugkit", error="invalid_request"',
    ],
  ])(
    "answers a %s credential with 401 JSON and a challenge",
    async (_name, header, code, challenge) => {
      testApp = createTestApp({ PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: KEY });
      const res = await get(header);
      expect(res.status).toBe(401);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.headers["www-authenticate"]).toBe(challenge);
      expect(res.body.error).toBe(code);
      expect(res.body.message).toMatch(/Authorization|not valid/);
    },
  );

  it("checks credentials before the body, so nothing is written without them", async () => {
    testApp = createTestApp({ PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: KEY });
    const res = await request(testApp.app).post("/todos/global").send({ todo: "sneaky" });
    expect(res.status).toBe(401);
    expect((await get(`Bearer ${KEY}`)).body).toEqual({ todos: [] });
  });

  it("serves the key's scheme and the verification token, and still serves the manifest without credentials", async () => {
    testApp = createTestApp({
      PLUGIN_AUTH: "service_http",
      SERVICE_AUTH_KEY: KEY,
      OPENAI_VERIFICATION_TOKEN: "vt-123",
    });
    const { manifest, spec } = await served();
    expect(manifest.auth).toEqual({
      type: "service_http",
      authorization_type: "bearer",
      verification_tokens: { openai: "vt-123" },
    });
    expect(manifest.api.is_user_authenticated).toBe(false);
    expect(spec.components.securitySchemes).toEqual({ plugin: { type: "http", scheme: "bearer" } });
    expect(spec.paths["/todos/{username}"].post.security).toEqual([{ plugin: [] }]);
    expect(spec.paths["/todos/{username}"].post.responses["401"].description).toBe(
      "Missing or invalid credentials",
    );
    expect(spec.info.description).not.toContain("signed in");
  });

  it("checks the basic scheme when AUTHORIZATION_TYPE=basic", async () => {
    testApp = createTestApp({
      PLUGIN_AUTH: "service_http",
      SERVICE_AUTH_KEY: KEY,
      AUTHORIZATION_TYPE: "basic",
    });
    expect((await get(`Basic ${KEY}`)).status).toBe(200);
    const wrong = await get(`Bearer ${KEY}`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers["www-authenticate"]).toBe('Basic realm="plugkit", charset="UTF-8"');
    expect((await served()).spec.components.securitySchemes.plugin).toEqual({
      type: "http",
      scheme: "basic",
    });
  });
});

describe("PLUGIN_AUTH=user_http", () => {
  async function withAccounts() {
    testApp = createTestApp({ PLUGIN_AUTH: "user_http" });
    const { accounts } = testApp;
    const alice = await accounts.create("alice", "alice-password");
    await accounts.create("bob", "bob-password");
    const { token: aliceToken, info: aliceInfo } = await accounts.issueToken("alice");
    const { token: bobToken } = await accounts.issueToken("bob");
    return { alice, aliceToken, aliceInfo, bobToken };
  }

  it("accepts an account's token and records its use", async () => {
    const { alice, aliceToken } = await withAccounts();
    expect((await get(`Bearer ${aliceToken}`)).status).toBe(200);
    const [info] = (await testApp.accounts.listTokens(alice.username)).tokens;
    expect(info?.lastUsedAt).toBeTypeOf("number");
  });

  it.each([
    ["missing", undefined],
    ["malformed", "Bearer"],
    ["wrong", "Bearer pk_user_nope"],
  ])("answers a %s token with 401", async (_name, header) => {
    await withAccounts();
    const res = await get(header);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm="plugkit"/);
  });

  it("refuses a revoked token", async () => {
    const { alice, aliceToken, aliceInfo } = await withAccounts();
    await testApp.accounts.revokeToken(alice.username, aliceInfo.id);
    expect((await get(`Bearer ${aliceToken}`)).status).toBe(401);
  });

  it("keeps each account's todos apart, whatever username is in the path", async () => {
    const { aliceToken, bobToken } = await withAccounts();
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    await request(testApp.app)
      .post("/todos/alice")
      .set(as(aliceToken))
      .send({ todo: "alice's secret" });
    await request(testApp.app)
      .post("/todos/global")
      .set(as(aliceToken))
      .send({ todo: "alice's global" });
    // Bob names Alice's lists explicitly and still sees only his own (empty) lists.
    expect((await request(testApp.app).get("/todos/alice").set(as(bobToken))).body).toEqual({
      todos: [],
    });
    expect((await request(testApp.app).get("/todos/global").set(as(bobToken))).body).toEqual({
      todos: [],
    });
    const del = await request(testApp.app)
      .delete("/todos/alice")
      .set(as(bobToken))
      .send({ todo_idx: 0 });
    expect(del.status).toBe(404);
    expect((await request(testApp.app).get("/todos/alice").set(as(aliceToken))).body).toEqual({
      todos: ["alice's secret"],
    });
  });

  it("tells the model how lists are scoped, and marks the plugin as user-authenticated", async () => {
    await withAccounts();
    const { manifest, spec } = await served();
    expect(manifest.auth).toEqual({ type: "user_http", authorization_type: "bearer" });
    expect(manifest.api.is_user_authenticated).toBe(true);
    expect(spec.info.description).toContain("username names a list within the signed-in account");
  });
});

describe("the served spec", () => {
  it.each([
    [{}],
    [{ PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: KEY }],
    [{ PLUGIN_AUTH: "user_http", AUTHORIZATION_TYPE: "basic" }],
    [{ PLUGIN_AUTH: "oauth", OAUTH_CLIENT_ID: "c", OAUTH_CLIENT_SECRET: KEY }],
  ])("is a valid OpenAPI document for %j", async (env) => {
    testApp = createTestApp(env);
    const yaml = (await request(testApp.app).get("/openapi.yaml").set("Host", "todo.example.com"))
      .text;
    await expect(SpecValidator.fromYaml(yaml)).resolves.toBeInstanceOf(SpecValidator);
  });
});
