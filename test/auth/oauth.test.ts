import request from "supertest";
import type TestAgent from "supertest/lib/agent";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TestClock } from "../helpers/clock";
import { createTestApp, type TestApp } from "../helpers/test-app";

const CLIENT_ID = "chatgpt-client";
const CLIENT_SECRET = "c".repeat(48);
const REDIRECT_URI = "https://chatgpt.com/aip/g-abc123/oauth/callback";
const PASSWORD = "correct horse battery";

let testApp: TestApp;
let clock: TestClock;
let agent: TestAgent;

beforeEach(async () => {
  clock = new TestClock();
  testApp = createTestApp(
    {
      PLUGIN_AUTH: "oauth",
      OAUTH_CLIENT_ID: CLIENT_ID,
      OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      OAUTH_REDIRECT_URIS: `${REDIRECT_URI},https://chat.openai.com/aip/g-abc123/oauth/callback`,
      OPENAI_VERIFICATION_TOKEN: "vt-oauth",
    },
    { clock },
  );
  await testApp.accounts.create("alice", PASSWORD);
  await testApp.accounts.create("bob", `${PASSWORD} bob`);
  agent = request.agent(testApp.app);
});

afterEach(async () => {
  expect(testApp.errors(), "no OAuth failure may cause a server error").toEqual([]);
  await testApp.dispose();
});

interface AuthorizeParams {
  response_type: string;
  client_id: string;
  redirect_uri: string;
  state: string;
  scope: string;
}

const params = (overrides: Partial<AuthorizeParams> = {}): AuthorizeParams => ({
  response_type: "code",
  client_id: CLIENT_ID,
  redirect_uri: REDIRECT_URI,
  state: "st4te-xyz",
  scope: "",
  ...overrides,
});

const authorizeUrl = (p: Partial<AuthorizeParams> = {}): string =>
  `/oauth/authorize?${new URLSearchParams({ ...params(), ...p }).toString()}`;

function csrfOf(html: string): string {
  const match = /name="csrf_token" value="([^"]+)"/.exec(html);
  if (match?.[1] === undefined) throw new Error(`no CSRF token in:\n${html}`);
  return match[1];
}

/** Opens the sign-in page and submits it; returns the response to the form post. */
async function signIn(
  username = "alice",
  password = PASSWORD,
  p: Partial<AuthorizeParams> = {},
  decision = "allow",
) {
  const page = await agent.get(authorizeUrl(p));
  expect(page.status).toBe(200);
  return agent
    .post("/oauth/authorize")
    .type("form")
    .send({ ...params(p), csrf_token: csrfOf(page.text), username, password, decision });
}

/** Signs in and returns the code from the redirect back to ChatGPT. */
async function authorizationCode(username = "alice", password = PASSWORD): Promise<string> {
  const res = await signIn(username, password);
  expect(res.status).toBe(303);
  const location = new URL(res.headers["location"] as string);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  expect(location.searchParams.get("state")).toBe("st4te-xyz");
  return location.searchParams.get("code") ?? "";
}

function exchange(body: Record<string, string>, as: "json" | "form" = "json") {
  return request(testApp.app)
    .post("/oauth/token")
    .type(as)
    .send(as === "json" ? JSON.stringify(body) : new URLSearchParams(body).toString());
}

const codeGrant = (code: string, overrides: Record<string, string> = {}) => ({
  grant_type: "authorization_code",
  code,
  redirect_uri: REDIRECT_URI,
  client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET,
  ...overrides,
});

const refreshGrant = (refreshToken: string, overrides: Record<string, string> = {}) => ({
  grant_type: "refresh_token",
  refresh_token: refreshToken,
  client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET,
  ...overrides,
});

const todos = (token: string, username = "global") =>
  request(testApp.app).get(`/todos/${username}`).set("Authorization", `Bearer ${token}`);

describe("the whole OAuth dance", () => {
  it("goes consent page -> sign in -> code -> token (JSON) -> API -> refresh (form) -> old refresh token dead", async () => {
    const code = await authorizationCode();
    expect(code).toMatch(/^pk_code_/);

    const token = await exchange(codeGrant(code), "json");
    expect(token.status).toBe(200);
    expect(token.headers["cache-control"]).toBe("no-store");
    expect(token.body).toEqual({
      access_token: expect.stringMatching(/^pk_at_/),
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^pk_rt_/),
    });

    expect((await todos(token.body.access_token)).status).toBe(200);

    const refreshed = await exchange(refreshGrant(token.body.refresh_token), "form");
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(token.body.access_token);
    expect(refreshed.body.refresh_token).not.toBe(token.body.refresh_token);
    expect((await todos(refreshed.body.access_token)).status).toBe(200);

    const reused = await exchange(refreshGrant(token.body.refresh_token));
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe("invalid_grant");
    // The access token issued with the used refresh token died with it.
    expect((await todos(token.body.access_token)).status).toBe(401);
  });

  it("exchanges a code sent as a form, as authorization_content_type form would", async () => {
    const token = await exchange(codeGrant(await authorizationCode()), "form");
    expect(token.status).toBe(200);
  });

  it("accepts client credentials in HTTP Basic instead of the body", async () => {
    const code = await authorizationCode();
    const res = await request(testApp.app)
      .post("/oauth/token")
      .auth(CLIENT_ID, CLIENT_SECRET)
      .send({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
    expect(res.status).toBe(200);
  });

  it("keeps two accounts' todos apart", async () => {
    const alice = (await exchange(codeGrant(await authorizationCode("alice")))).body
      .access_token as string;
    const bob = (await exchange(codeGrant(await authorizationCode("bob", `${PASSWORD} bob`)))).body
      .access_token as string;
    await request(testApp.app)
      .post("/todos/global")
      .set("Authorization", `Bearer ${alice}`)
      .send({ todo: "alice only" });
    expect((await todos(bob)).body).toEqual({ todos: [] });
    expect((await todos(alice)).body).toEqual({ todos: ["alice only"] });
  });

  it("serves the oauth manifest and an OAuth 2.0 security scheme at the public origin", async () => {
    const manifest = (
      await request(testApp.app).get("/.well-known/ai-plugin.json").set("Host", "todo.example.com")
    ).body;
    expect(manifest.auth).toEqual({
      type: "oauth",
      client_url: "https://todo.example.com/oauth/authorize",
      scope: "",
      authorization_url: "https://todo.example.com/oauth/token",
      authorization_content_type: "application/json",
      verification_tokens: { openai: "vt-oauth" },
    });
    expect(manifest.api.is_user_authenticated).toBe(true);
    const spec = parse(
      (await request(testApp.app).get("/openapi.yaml").set("Host", "todo.example.com")).text,
    );
    expect(spec.components.securitySchemes.plugin.flows.authorizationCode.tokenUrl).toBe(
      "https://todo.example.com/oauth/token",
    );
    expect(JSON.stringify(spec.paths)).not.toContain("/oauth");
  });
});

describe("the sign-in page", () => {
  it("is plain HTML with a CSRF cookie, framing forbidden, and every value escaped", async () => {
    const state = `"><script>alert(1)</script>`;
    const res = await agent.get(authorizeUrl({ state }));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    // The form posts here and the answer redirects to the client: CSP allows exactly that.
    expect(res.headers["content-security-policy"]).toContain(
      "form-action 'self' https://chatgpt.com;",
    );
    expect(String(res.headers["set-cookie"])).toMatch(
      /plugkit_oauth_csrf=.+; Path=\/oauth; .*HttpOnly; SameSite=Strict/,
    );
    expect(res.text).not.toContain("<script>");
    expect(res.text).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(res.text).toContain('<form method="post" action="/oauth/authorize">');
  });

  it("refuses a post without the CSRF cookie or with a different token, without signing in", async () => {
    const page = await agent.get(authorizeUrl());
    const form = {
      ...params(),
      csrf_token: csrfOf(page.text),
      username: "alice",
      password: PASSWORD,
      decision: "allow",
    };
    const noCookie = await request(testApp.app).post("/oauth/authorize").type("form").send(form);
    expect(noCookie.status).toBe(403);
    const wrongToken = await agent
      .post("/oauth/authorize")
      .type("form")
      .send({ ...form, csrf_token: "forged" });
    expect(wrongToken.status).toBe(403);
    expect(wrongToken.headers["location"]).toBeUndefined();
  });

  it("re-shows the form with 401 and the username, escaped, after a wrong password", async () => {
    const res = await signIn("alice<b>", "wrong password");
    expect(res.status).toBe(401);
    expect(res.text).toContain("Wrong username or password.");
    expect(res.text).toContain('value="alice&lt;b&gt;"');
    expect(res.text).not.toContain("wrong password");
  });

  it("sends the user back with access_denied and the state on Deny", async () => {
    const res = await signIn("", "", {}, "deny");
    expect(res.status).toBe(303);
    const location = new URL(res.headers["location"] as string);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("st4te-xyz");
    expect(location.searchParams.get("code")).toBeNull();
  });

  it("throttles failed sign-ins from an address on an account with 429 and Retry-After, even with the right password", async () => {
    for (let i = 0; i < 10; i++) expect((await signIn("alice", `wrong ${i}`)).status).toBe(401);
    const blocked = await signIn("alice", PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect(blocked.text).toContain("Too many failed sign-ins");
    // Another account is not locked out by Alice's failures.
    expect((await signIn("bob", `${PASSWORD} bob`)).status).toBe(303);
    clock.advance(15 * 60 + 1);
    expect((await signIn("alice", PASSWORD)).status).toBe(303);
  });

  it("shows an error page, never a redirect, for an unknown client or a redirect URI off the allow-list", async () => {
    for (const p of [
      { client_id: "evil" },
      { redirect_uri: "https://evil.example.com/callback" },
      { redirect_uri: "https://chatgpt.com/aip/g-1/other" },
    ]) {
      const res = await agent.get(authorizeUrl(p));
      expect(res.status).toBe(400);
      expect(res.headers["location"]).toBeUndefined();
      expect(res.text).toContain("Invalid sign-in link");
    }
  });

  it("redirects with invalid_request when state is missing, and with unsupported_response_type for token", async () => {
    const noState = await agent.get(authorizeUrl({ state: "" }));
    expect(noState.status).toBe(302);
    const a = new URL(noState.headers["location"] as string);
    expect(a.searchParams.get("error")).toBe("invalid_request");
    expect(a.searchParams.get("error_description")).toBe("state is required when PKCE is not used");
    const implicit = await agent.get(authorizeUrl({ response_type: "token" }));
    expect(new URL(implicit.headers["location"] as string).searchParams.get("error")).toBe(
      "unsupported_response_type",
    );
  });

  it("accepts each configured callback exactly, and no other plugin id", async () => {
    const page = await agent.get(
      authorizeUrl({ redirect_uri: "https://chat.openai.com/aip/g-abc123/oauth/callback" }),
    );
    expect(page.status).toBe(200);
    const other = await agent.get(
      authorizeUrl({ redirect_uri: "https://chatgpt.com/aip/g-attacker/oauth/callback" }),
    );
    expect(other.status).toBe(400);
    expect(other.headers["location"]).toBeUndefined();
  });
});

describe("the token endpoint refuses", () => {
  it("a reused code with invalid_grant", async () => {
    const code = await authorizationCode();
    expect((await exchange(codeGrant(code))).status).toBe(200);
    const again = await exchange(codeGrant(code));
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
  });

  it("several simultaneous exchanges of one code: a replay, so no token of the grant survives", async () => {
    const code = await authorizationCode();
    const exchanges = await Promise.all(Array.from({ length: 5 }, () => exchange(codeGrant(code))));
    const won = exchanges.filter((r) => r.status === 200);
    expect(won.length).toBeLessThanOrEqual(1);
    expect(exchanges.filter((r) => r.status === 400).map((r) => r.body.error as string)).toContain(
      "invalid_grant",
    );
    for (const res of won) {
      expect((await todos(res.body.access_token as string)).status).toBe(401);
      expect((await exchange(refreshGrant(res.body.refresh_token as string))).status).toBe(400);
    }
  });

  it("several simultaneous uses of one refresh token: reuse, so the grant ends", async () => {
    const token = (await exchange(codeGrant(await authorizationCode()))).body;
    const refreshes = await Promise.all(
      Array.from({ length: 5 }, () => exchange(refreshGrant(token.refresh_token as string))),
    );
    expect(refreshes.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    for (const res of refreshes.filter((r) => r.status === 200)) {
      expect((await todos(res.body.access_token as string)).status).toBe(401);
    }
  });

  it("a code exchanged with a different redirect URI, and consumes it", async () => {
    const code = await authorizationCode();
    const res = await exchange(
      codeGrant(code, { redirect_uri: "https://chatgpt.com/aip/g-other/oauth/callback" }),
    );
    // RFC 6749 §5.2: a redirect URI that differs from the code's is invalid_grant.
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_grant");
    expect((await exchange(codeGrant(code))).body.error).toBe("invalid_grant");
  });

  it("a wrong client secret or client id with invalid_client", async () => {
    const code = await authorizationCode();
    const wrongSecret = await exchange(codeGrant(code, { client_secret: "x".repeat(48) }));
    expect(wrongSecret.body.error).toBe("invalid_client");
    expect([400, 401]).toContain(wrongSecret.status);
    const wrongId = await exchange(codeGrant(code, { client_id: "someone-else" }));
    expect(wrongId.body.error).toBe("invalid_client");
    const noSecret = await exchange({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
    });
    expect(noSecret.body.error).toBe("invalid_client");
  });

  it("an expired code with invalid_grant (5 minutes by the injected clock)", async () => {
    const code = await authorizationCode();
    clock.advance(301);
    const res = await exchange(codeGrant(code));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_grant");
  });

  it("an unknown or unallowed grant type, a missing code, and a body that is not JSON or a form", async () => {
    const grant = (grant_type: string) =>
      exchange({ grant_type, client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    // RFC 6749 §5.2: a grant type the server does not support is unsupported_grant_type.
    for (const type of ["urn:example:unknown", "password", "client_credentials", "implicit"]) {
      expect((await grant(type)).body.error, type).toBe("unsupported_grant_type");
    }
    expect(
      (
        await exchange({
          grant_type: "authorization_code",
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uri: REDIRECT_URI,
        })
      ).body.error,
    ).toBe("invalid_request");
    const text = await request(testApp.app)
      .post("/oauth/token")
      .set("Content-Type", "text/plain")
      .send("grant_type=x");
    expect(text.status).toBe(400);
    expect(text.body.error).toBe("invalid_request");
    const broken = await request(testApp.app)
      .post("/oauth/token")
      .set("Content-Type", "application/json")
      .send("{");
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe("invalid_request");
  });

  it("parameters that are not strings with invalid_request, never a server error", async () => {
    for (const code of [123, ["a"], { a: 1 }, null]) {
      const res = await request(testApp.app)
        .post("/oauth/token")
        .send({ ...codeGrant("x"), code });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: "invalid_request",
        error_description: Array.isArray(code) ? "code is repeated" : "code must be a string",
      });
    }
    const res = await request(testApp.app)
      .post("/oauth/token")
      .send({ ...refreshGrant("x"), client_id: ["a"] });
    expect(res.body.error).toBe("invalid_request");
  });

  it("an expired refresh token with invalid_grant", async () => {
    const token = (await exchange(codeGrant(await authorizationCode()))).body;
    clock.advance(30 * 86400 + 1);
    const res = await exchange(refreshGrant(token.refresh_token));
    expect(res.body.error).toBe("invalid_grant");
  });
});

describe("the API with OAuth", () => {
  it("refuses a tampered or unknown access token with 401 invalid_token", async () => {
    const token = (await exchange(codeGrant(await authorizationCode()))).body
      .access_token as string;
    const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    const res = await todos(tampered);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("invalid_token");
    expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("refuses an access token after an hour, and a refreshed one works", async () => {
    const token = (await exchange(codeGrant(await authorizationCode()))).body;
    clock.advance(3601);
    const expired = await todos(token.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body.message).toContain("expired");
    const refreshed = (await exchange(refreshGrant(token.refresh_token))).body;
    expect((await todos(refreshed.access_token)).status).toBe(200);
  });

  it("answers a malformed Authorization header with 400 invalid_request, and another scheme too (RFC 6750)", async () => {
    for (const header of ["Bearer", "Bearer a b", "Basic abc", "pk_at_without_scheme"]) {
      const res = await request(testApp.app).get("/todos/global").set("Authorization", header);
      expect(res.status, header).toBe(400);
      expect(res.body.error).toBe("invalid_request");
      expect(res.headers["www-authenticate"]).toContain("resource_metadata=");
    }
  });

  it("refuses a call without a token", async () => {
    const res = await request(testApp.app).get("/todos/global");
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("missing_credentials");
  });

  it("keeps codes and tokens across a restart of the app on the same database", async () => {
    const code = await authorizationCode();
    await testApp.close();
    const restarted = createTestApp(
      {
        PLUGIN_AUTH: "oauth",
        OAUTH_CLIENT_ID: CLIENT_ID,
        OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        DATABASE_URL: `file:${testApp.databasePath}`,
      },
      { clock },
    );
    const token = await request(restarted.app).post("/oauth/token").send(codeGrant(code));
    expect(token.status).toBe(200);
    expect(
      (
        await request(restarted.app)
          .get("/todos/global")
          .set("Authorization", `Bearer ${token.body.access_token}`)
      ).status,
    ).toBe(200);
    await restarted.dispose();
  });
});
