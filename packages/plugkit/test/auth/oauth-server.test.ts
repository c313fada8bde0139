import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Express } from "express";
import request from "supertest";
import { silentLogger } from "../../src/logging/logger";
import type TestAgent from "supertest/lib/agent";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAccountService } from "../../src/auth/accounts";
import { oauthAuth, type OAuthAuthOptions } from "../../src/auth/oauth/oauth-auth";
import { createPluginApp } from "../../src/server/create-plugin-app";
import { openPluginDatabase, type SqlitePluginDatabase } from "../../src/store/plugin-database";
import { TEST_MANIFEST, TEST_SPEC, registerOAuthEndpoints } from "../fixtures";

const logo = readFileSync(join(__dirname, "..", "..", "templates", "init", "assets", "logo.png"));
const PASSWORD = "a long enough password";
const ORIGIN = "http://127.0.0.1";
const CALLBACK = "http://127.0.0.1:45678/callback";

let database: SqlitePluginDatabase;
let app: Express;
/** A clock that stands still until told to move. */
const clock = {
  current: Date.now(),
  now() {
    return this.current;
  },
  advance(seconds: number) {
    this.current += seconds * 1000;
  },
};

function start(options: Partial<OAuthAuthOptions> = {}): void {
  app = createPluginApp({
    logger: silentLogger,
    registerRoutes: registerOAuthEndpoints,
    manifest: TEST_MANIFEST,
    spec: TEST_SPEC,
    logo,
    auth: oauthAuth({ store: database.auth, trustedProxyHops: 1, clock, ...options }),
    // These tests stand a secured GET /mcp of their own in for the MCP endpoint.
    mcp: false,
  });
}

beforeEach(async () => {
  database = openPluginDatabase({ kind: "sqlite", path: ":memory:" });
  await createAccountService(database.auth).create("alice", PASSWORD);
});
afterEach(async () => {
  await database.close();
});

const pkce = () => {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
};

/** An authorization request of a public client, with a fresh PKCE challenge. */
const authorizeParams = (clientId: string, extra: Record<string, string> = {}) => ({
  response_type: "code",
  client_id: clientId,
  redirect_uri: CALLBACK,
  code_challenge: pkce().challenge,
  code_challenge_method: "S256",
  ...extra,
});

/** Registers a public client (RFC 7591) and returns its id. */
async function register(redirectUris = [CALLBACK], from = "198.51.100.1"): Promise<string> {
  const res = await request(app)
    .post("/oauth/register")
    .set("X-Forwarded-For", from)
    .send({ client_name: "Test client", redirect_uris: redirectUris });
  expect(res.status, res.text).toBe(201);
  return res.body.client_id as string;
}

/** The sign-in page of a browser at `address`, which keeps its cookies. */
function browserAt(address: string): TestAgent {
  return request.agent(app).set("X-Forwarded-For", address).set("Host", "127.0.0.1");
}

async function signIn(
  browser: TestAgent,
  params: Record<string, string>,
  username = "alice",
  password = PASSWORD,
): Promise<request.Response> {
  const page = await browser.get(`/oauth/authorize?${new URLSearchParams(params).toString()}`);
  expect(page.status, page.text).toBe(200);
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
  return browser
    .post("/oauth/authorize")
    .type("form")
    .send({ ...params, csrf_token: csrf, username, password, decision: "allow" });
}

/** A registered client's authorization with PKCE; returns what the token request needs. */
async function codeFor(clientId: string, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const res = await signIn(browserAt("198.51.100.1"), {
    response_type: "code",
    client_id: clientId,
    redirect_uri: CALLBACK,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  });
  expect(res.status, res.text).toBe(303);
  const location = new URL(res.headers["location"] as string);
  return { code: location.searchParams.get("code") ?? "", verifier, location };
}

const token = (body: Record<string, string>) =>
  request(app).post("/oauth/token").set("Host", "127.0.0.1").type("form").send(body);

/** Exchanges a public client's code for tokens at the token endpoint. */
const exchange = (
  clientId: string,
  { code, verifier }: { code: string; verifier: string },
  extra: Record<string, string> = {},
) =>
  token({
    grant_type: "authorization_code",
    code,
    redirect_uri: CALLBACK,
    client_id: clientId,
    code_verifier: verifier,
    ...extra,
  });

describe("dynamic client registration (RFC 7591)", () => {
  beforeEach(() => {
    start();
  });

  it("registers a public client with its redirect URIs and answers 201 as the RFC says", async () => {
    const res = await request(app)
      .post("/oauth/register")
      .send({ client_name: "Claude", redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] });
    expect(res.status).toBe(201);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.body).toMatchObject({
      client_id: expect.stringMatching(/^pk_client_/),
      client_name: "Claude",
      redirect_uris: ["https://claude.ai/api/mcp/auth_callback"],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    });
  });

  it.each([
    [{ redirect_uris: ["http://evil.example/cb"] }, "invalid_redirect_uri", "must use https"],
    [{ redirect_uris: ["https://x.example/cb#frag"] }, "invalid_redirect_uri", "fragment"],
    [{ redirect_uris: ["https://*.example/cb"] }, "invalid_redirect_uri", "wildcard"],
    [{ redirect_uris: ["javascript:alert(1)"] }, "invalid_redirect_uri", "private-use scheme"],
    [{ redirect_uris: [] }, "invalid_redirect_uri", "non-empty"],
    [
      { redirect_uris: [CALLBACK], token_endpoint_auth_method: "client_secret_basic" },
      "invalid_client_metadata",
      'must be "none"',
    ],
    [
      { redirect_uris: [CALLBACK], grant_types: ["client_credentials"] },
      "invalid_client_metadata",
      "grant_types",
    ],
  ])("refuses %j with %s", async (metadata, error, message) => {
    const res = await request(app).post("/oauth/register").send(metadata);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(error);
    expect(res.body.error_description).toContain(message);
  });

  it("accepts loopback http on any port and reverse-domain private-use schemes (RFC 8252)", async () => {
    const id = await register(["http://127.0.0.1/callback", "com.example.app:/callback"]);
    const page = await browserAt("198.51.100.1").get(
      `/oauth/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: id,
        redirect_uri: "http://127.0.0.1:61234/callback",
        code_challenge: pkce().challenge,
        code_challenge_method: "S256",
      }).toString()}`,
    );
    expect(page.status).toBe(200);
  });

  it("limits registrations per address: the 11th in an hour is 429 with Retry-After", async () => {
    for (let i = 0; i < 10; i++) await register([CALLBACK], "203.0.113.7");
    const res = await request(app)
      .post("/oauth/register")
      .set("X-Forwarded-For", "203.0.113.7")
      .send({ redirect_uris: [CALLBACK] });
    expect(res.status).toBe(429);
    expect(res.body.error).toBe("temporarily_unavailable");
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(3000);
    await register([CALLBACK], "203.0.113.8");
  });

  it("can be turned off: registration answers 404 and the metadata drops the endpoint", async () => {
    start({ dynamicRegistration: false });
    const res = await request(app)
      .post("/oauth/register")
      .send({ redirect_uris: [CALLBACK] });
    expect(res.status).toBe(404);
    const metadata = await request(app).get("/.well-known/oauth-authorization-server");
    expect(metadata.body.registration_endpoint).toBeUndefined();
  });
});

describe("PKCE (RFC 7636) and public clients", () => {
  beforeEach(() => {
    start();
  });

  it("refuses a public client's authorization without a code_challenge, on a page: no redirect to a URI anyone can register", async () => {
    const id = await register();
    const res = await browserAt("198.51.100.1").get(
      `/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: id, redirect_uri: CALLBACK, state: "s1" }).toString()}`,
    );
    expect(res.status).toBe(400);
    expect(res.headers["location"]).toBeUndefined();
    expect(res.text).toContain("invalid_request: code_challenge is required");
  });

  it("refuses the plain method, and a challenge without a method (RFC 7636: that means plain)", async () => {
    const id = await register();
    for (const method of ["plain", ""]) {
      const query: Record<string, string> = {
        response_type: "code",
        client_id: id,
        redirect_uri: CALLBACK,
        code_challenge: "a".repeat(43),
      };
      if (method !== "") query["code_challenge_method"] = method;
      const res = await browserAt("198.51.100.1").get(
        `/oauth/authorize?${new URLSearchParams(query).toString()}`,
      );
      expect(res.status).toBe(400);
      expect(res.text).toContain("code_challenge_method must be S256");
    }
  });

  it("issues tokens for the right verifier only, and a wrong one burns the code", async () => {
    const id = await register();
    const { code, verifier, location } = await codeFor(id);
    expect(location.searchParams.get("iss")).toBe(ORIGIN);
    const wrong = await exchange(id, { code, verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
    const right = await exchange(id, { code, verifier });
    expect(right.body.error).toBe("invalid_grant");

    const fresh = await codeFor(id);
    const ok = await exchange(id, fresh);
    expect(ok.status, ok.text).toBe(200);
    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: ok.body.refresh_token as string,
      client_id: id,
    });
    expect(refreshed.status).toBe(200);
  });

  it("refuses a code without its verifier, and a public client that sends a secret", async () => {
    const id = await register();
    const first = await codeFor(id);
    const missing = await token({
      grant_type: "authorization_code",
      code: first.code,
      redirect_uri: CALLBACK,
      client_id: id,
    });
    expect(missing.body).toEqual({
      error: "invalid_grant",
      error_description: "code_verifier is required: the code was issued with PKCE",
    });
    const second = await codeFor(id);
    const withSecret = await token({
      grant_type: "authorization_code",
      code: second.code,
      redirect_uri: CALLBACK,
      client_id: id,
      client_secret: "anything",
      code_verifier: second.verifier,
    });
    expect(withSecret.status).toBe(401);
    expect(withSecret.body.error).toBe("invalid_client");
  });
});

describe("resource indicators (RFC 8707)", () => {
  beforeEach(() => {
    start({ resourcePaths: ["/mcp"] });
  });

  it("refuses a resource that is not this server's with invalid_target", async () => {
    const id = await register();
    const res = await browserAt("198.51.100.1").get(
      `/oauth/authorize?${new URLSearchParams(authorizeParams(id, { resource: "https://other.example/mcp" })).toString()}`,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain("invalid_target");
  });

  it("binds the token to its resource: a token for /mcp works there and nowhere else", async () => {
    const id = await register();
    const { code, verifier } = await codeFor(id, { resource: `${ORIGIN}/mcp` });
    const tokens = await exchange(id, { code, verifier }, { resource: `${ORIGIN}/mcp` });
    expect(tokens.status, tokens.text).toBe(200);
    const bearer = `Bearer ${tokens.body.access_token as string}`;
    expect(
      (await request(app).get("/mcp").set("Host", "127.0.0.1").set("Authorization", bearer)).status,
    ).toBe(200);
    const elsewhere = await request(app)
      .get("/things")
      .set("Host", "127.0.0.1")
      .set("Authorization", bearer);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.message).toBe("The access token was issued for another resource.");
  });

  it("refuses a token request for a different resource than the grant's", async () => {
    const id = await register();
    const { code, verifier } = await codeFor(id, { resource: `${ORIGIN}/mcp` });
    const res = await exchange(id, { code, verifier }, { resource: ORIGIN });
    expect(res.body.error).toBe("invalid_target");
  });

  it("serves protected resource metadata for the origin and for /mcp, and points 401s at it", async () => {
    const root = await request(app)
      .get("/.well-known/oauth-protected-resource")
      .set("Host", "127.0.0.1");
    expect(root.body).toEqual({
      resource: ORIGIN,
      authorization_servers: [ORIGIN],
      scopes_supported: [],
      bearer_methods_supported: ["header"],
    });
    const mcp = await request(app)
      .get("/.well-known/oauth-protected-resource/mcp")
      .set("Host", "127.0.0.1");
    expect(mcp.body.resource).toBe(`${ORIGIN}/mcp`);
    expect((await request(app).get("/.well-known/oauth-protected-resource/other")).status).toBe(
      404,
    );
    const unauthenticated = await request(app).get("/mcp").set("Host", "127.0.0.1");
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers["www-authenticate"]).toBe(
      `Bearer realm="plugkit", resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/mcp"`,
    );
  });
});

describe("authorization server metadata (RFC 8414)", () => {
  it("lists the endpoints, S256, the auth methods, the scopes and the iss parameter", async () => {
    start({ scopes: { "todos:read": "Read your todos" } });
    const res = await request(app)
      .get("/.well-known/oauth-authorization-server")
      .set("Host", "127.0.0.1");
    expect(res.body).toEqual({
      issuer: ORIGIN,
      authorization_endpoint: `${ORIGIN}/oauth/authorize`,
      token_endpoint: `${ORIGIN}/oauth/token`,
      registration_endpoint: `${ORIGIN}/oauth/register`,
      revocation_endpoint: `${ORIGIN}/oauth/revoke`,
      scopes_supported: ["todos:read"],
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      revocation_endpoint_auth_methods_supported: [
        "client_secret_basic",
        "client_secret_post",
        "none",
      ],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it("refuses unknown scopes with invalid_scope, and grants listed ones", async () => {
    start({ scopes: { "todos:read": "Read your todos" } });
    const id = await register();
    const res = await browserAt("198.51.100.1").get(
      `/oauth/authorize?${new URLSearchParams(authorizeParams(id, { scope: "todos:read admin" })).toString()}`,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      "invalid_scope: unknown scope &quot;admin&quot;; supported: todos:read",
    );
    const { code, verifier } = await codeFor(id, { scope: "todos:read" });
    const tokens = await exchange(id, { code, verifier });
    expect(tokens.body.scope).toBe("todos:read");
    const wider = await token({
      grant_type: "refresh_token",
      refresh_token: tokens.body.refresh_token as string,
      client_id: id,
      scope: "todos:read admin",
    });
    expect(wider.body.error).toBe("invalid_scope");
  });
});

describe("revocation (RFC 7009)", () => {
  beforeEach(() => {
    start();
  });

  async function tokensFor(id: string) {
    const { code, verifier } = await codeFor(id);
    return (await exchange(id, { code, verifier })).body as {
      access_token: string;
      refresh_token: string;
    };
  }
  const revoke = (body: Record<string, string>) =>
    request(app).post("/oauth/revoke").type("form").send(body);
  const things = (access: string) =>
    request(app).get("/things").set("Host", "127.0.0.1").set("Authorization", `Bearer ${access}`);

  it("revokes an access token alone; the refresh token still works", async () => {
    const id = await register();
    const tokens = await tokensFor(id);
    expect((await revoke({ token: tokens.access_token, client_id: id })).status).toBe(200);
    expect((await things(tokens.access_token)).status).toBe(401);
    expect(
      (
        await token({
          grant_type: "refresh_token",
          refresh_token: tokens.refresh_token,
          client_id: id,
        })
      ).status,
    ).toBe(200);
  });

  it("answers 200 for an unknown token and leaves another client's tokens alone", async () => {
    const id = await register();
    const other = await register();
    const tokens = await tokensFor(id);
    expect((await revoke({ token: "pk_at_unknown", client_id: id })).status).toBe(200);
    expect((await revoke({ token: tokens.refresh_token, client_id: other })).status).toBe(200);
    expect((await things(tokens.access_token)).status).toBe(200);
  });

  it("needs the client: no client_id is invalid_client", async () => {
    const res = await revoke({ token: "x" });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("invalid_client");
  });
});

describe("the sign-in throttle (no lockout of the owner)", () => {
  beforeEach(() => {
    start({
      signInLimits: { perAccount: 6, perAccountAndAddress: 3, perAddress: 30, windowSeconds: 900 },
    });
  });

  it("stops each address after its failures, caps the account, and never locks out the owner's browser", async () => {
    const id = await register();
    const params = authorizeParams(id);
    // The owner signs in once from her browser: it becomes a known device.
    const owner = browserAt("192.0.2.10");
    expect((await signIn(owner, params)).status).toBe(303);

    // An attacker guesses from two addresses until each is stopped, then the account cap hits.
    for (const address of ["203.0.113.1", "203.0.113.2"]) {
      const attacker = browserAt(address);
      for (let i = 0; i < 3; i++)
        expect((await signIn(attacker, params, "alice", "guess")).status).toBe(401);
      expect((await signIn(attacker, params, "alice", "guess")).status).toBe(429);
    }
    const third = browserAt("203.0.113.3");
    const capped = await signIn(third, params, "alice", PASSWORD);
    expect(capped.status).toBe(429);
    expect(Number(capped.headers["retry-after"])).toBeGreaterThan(0);

    // The owner's browser carries its device cookie: she still signs in.
    expect((await signIn(owner, params)).status).toBe(303);
  });
});

describe("the security review's findings, as attacks that now fail", () => {
  beforeEach(() => {
    start({
      scopes: { "things:read": "Read things", "things:write": "Change things" },
      signInLimits: {
        perAccount: 100,
        perAccountAndAddress: 3,
        perAddress: 30,
        windowSeconds: 900,
      },
    });
  });

  const tokensFor = async (id: string, extra: Record<string, string> = {}) => {
    const { code, verifier } = await codeFor(id, extra);
    const res = await exchange(id, { code, verifier });
    expect(res.status, res.text).toBe(200);
    return res.body as { access_token: string; refresh_token: string; scope?: string };
  };
  const call = (method: "get" | "post", access: string) => {
    const agent = request(app);
    return (method === "get" ? agent.get("/things") : agent.post("/things"))
      .set("Host", "127.0.0.1")
      .set("Authorization", `Bearer ${access}`);
  };

  it("recognises a stolen refresh token's reuse even after the access tokens have expired", async () => {
    const id = await register();
    const original = await tokensFor(id);
    const stolen = await token({
      grant_type: "refresh_token",
      refresh_token: original.refresh_token,
      client_id: id,
    });
    expect(stolen.status).toBe(200);
    clock.advance(2 * 3600);
    await tokensFor(id); // other traffic, which runs the clean-up
    const reuse = await token({
      grant_type: "refresh_token",
      refresh_token: original.refresh_token,
      client_id: id,
    });
    expect(reuse.body.error_description).toContain("already used");
    const attacker = await token({
      grant_type: "refresh_token",
      refresh_token: stolen.body.refresh_token as string,
      client_id: id,
    });
    expect(attacker.body.error).toBe("invalid_grant");
  });

  it("recognises a code replayed after it expired, and revokes what it issued", async () => {
    const id = await register();
    const { code, verifier } = await codeFor(id);
    const grant = {
      grant_type: "authorization_code",
      code,
      redirect_uri: CALLBACK,
      client_id: id,
      code_verifier: verifier,
    };
    const first = await token(grant);
    expect(first.status).toBe(200);
    clock.advance(600);
    await tokensFor(id);
    expect((await token(grant)).body.error_description).toContain("already used");
    expect((await call("get", first.body.access_token as string)).status).toBe(401);
  });

  it("counts guesses sent in parallel: no more than the limit get a password check", async () => {
    const id = await register();
    const params = authorizeParams(id);
    const attacker = browserAt("203.0.113.50");
    const page = await attacker.get(`/oauth/authorize?${new URLSearchParams(params).toString()}`);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        attacker
          .post("/oauth/authorize")
          .type("form")
          .send({
            ...params,
            csrf_token: csrf,
            username: "alice",
            password: `guess ${i}`,
            decision: "allow",
          }),
      ),
    );
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
  });

  it("does not let failures from the owner's own address lock out her known browser", async () => {
    const id = await register();
    const params = authorizeParams(id);
    const owner = browserAt("192.0.2.77");
    expect((await signIn(owner, params)).status).toBe(303);
    const neighbour = browserAt("192.0.2.77");
    for (let i = 0; i < 3; i++)
      expect((await signIn(neighbour, params, "alice", "guess")).status).toBe(401);
    expect((await signIn(neighbour, params, "alice", "guess")).status).toBe(429);
    expect((await signIn(owner, params)).status).toBe(303);
  });

  it("forgets remembered browsers when the password changes", async () => {
    const id = await register();
    const params = authorizeParams(id);
    const owner = browserAt("192.0.2.78");
    await signIn(owner, params);
    const account = await database.auth.findAccountByUsername("alice");
    const devices = database.sqlite.prepare("SELECT count(*) AS n FROM sign_in_devices").get() as {
      n: number;
    };
    expect(devices.n).toBe(1);
    await createAccountService(database.auth, clock).setPassword("alice", "a changed password");
    expect(account).toBeDefined();
    expect(
      (database.sqlite.prepare("SELECT count(*) AS n FROM sign_in_devices").get() as { n: number })
        .n,
    ).toBe(0);
  });

  it("limits registrations per IPv6 /64, not per address", async () => {
    for (let i = 1; i <= 10; i++) await register([CALLBACK], `2001:db8:1:2::${i.toString(16)}`);
    const res = await request(app)
      .post("/oauth/register")
      .set("X-Forwarded-For", "2001:db8:1:2:ffff::1")
      .send({ redirect_uris: [CALLBACK] });
    expect(res.status).toBe(429);
    await register([CALLBACK], "2001:db8:1:3::1");
  });

  it("keeps a registered name from disguising itself with control or format characters", async () => {
    const res = await request(app)
      .post("/oauth/register")
      .send({ client_name: "Chat\u202eGPT\u009b\u200b", redirect_uris: [CALLBACK] });
    expect(res.body.client_name).toBe("ChatGPT");
    const page = await browserAt("198.51.100.1").get(
      `/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: res.body.client_id as string, redirect_uri: CALLBACK, code_challenge: pkce().challenge, code_challenge_method: "S256" }).toString()}`,
    );
    expect(page.text).toContain(
      "ChatGPT (unverified: it registered itself) is asking to use this plugin",
    );
  });

  it("enforces scopes: an operation that needs a scope refuses a token without it with 403", async () => {
    const id = await register();
    const readOnly = await tokensFor(id, { scope: "things:read" });
    const refused = await call("post", readOnly.access_token);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("insufficient_scope");
    expect(refused.headers["www-authenticate"]).toContain(
      'error="insufficient_scope", scope="things:write"',
    );
    const both = await tokensFor(id, { scope: "things:read things:write" });
    expect((await call("post", both.access_token)).status).toBe(200);
    const narrowed = await token({
      grant_type: "refresh_token",
      refresh_token: both.refresh_token,
      client_id: id,
      scope: "things:read",
    });
    expect(narrowed.body.scope).toBe("things:read");
    expect((await call("post", narrowed.body.access_token as string)).status).toBe(403);
  });

  it("believes only the trusted proxy's X-Forwarded-Host, not one the client put before it", async () => {
    const res = await request(app)
      .get("/.well-known/oauth-authorization-server")
      .set("X-Forwarded-Host", "evil.example, plugin.example.com")
      .set("X-Forwarded-Proto", "http, https");
    expect(res.body.issuer).toBe("https://plugin.example.com");
    expect(res.headers["vary"]).toContain("X-Forwarded-Host");
  });

  it("answers a malformed Authorization header with 400 invalid_request (RFC 6750)", async () => {
    const res = await request(app).get("/things").set("Authorization", "Bearer a b");
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
  });
});
