import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { OAuthBrowser } from "../helpers/oauth";
import { createTestApp, type TestApp } from "../helpers/test-app";

// The security review's findings, each as the attack that used to work and now fails.
const CLIENT_ID = "chatgpt";
const CLIENT_SECRET = "c".repeat(48);
const CALLBACK = "https://chatgpt.com/aip/g-abc123/oauth/callback";
const PASSWORD = "correct horse battery";

let testApp: TestApp;
afterEach(async () => {
  expect(testApp.errors(), "no attack may cause a server error").toEqual([]);
  await testApp.dispose();
});

async function start(env: Record<string, string> = {}): Promise<OAuthBrowser> {
  testApp = createTestApp({
    PLUGIN_AUTH: "oauth",
    OAUTH_CLIENT_ID: CLIENT_ID,
    OAUTH_CLIENT_SECRET: CLIENT_SECRET,
    OAUTH_REDIRECT_URIS: CALLBACK,
    ...env,
  });
  await testApp.accounts.create("alice", PASSWORD);
  return browser();
}

function browser(headers: Record<string, string> = {}): OAuthBrowser {
  return new OAuthBrowser(
    testApp,
    {
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: CALLBACK,
      state: "st4te",
      scope: "",
    },
    headers,
  );
}

async function tokens(b: OAuthBrowser): Promise<{ access_token: string; refresh_token: string }> {
  const code = (await b.authorize("alice", PASSWORD)).get("code") ?? "";
  const res = await b.token({
    grant_type: "authorization_code",
    code,
    redirect_uri: CALLBACK,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });
  expect(res.status, res.text).toBe(200);
  return res.body as { access_token: string; refresh_token: string };
}

const todos = (access: string) =>
  request(testApp.app).get("/todos/global").set("Authorization", `Bearer ${access}`);
const refresh = (b: OAuthBrowser, refreshToken: string) =>
  b.token({
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });

describe("sign-in throttling trusts no proxy by default", () => {
  it("still throttles a client that rotates X-Forwarded-For", async () => {
    await start();
    for (let i = 0; i < 10; i++) {
      const res = await browser({ "X-Forwarded-For": `198.51.100.${i}` }).signIn("alice", "guess");
      expect(res.status).toBe(401);
    }
    const blocked = await browser({ "X-Forwarded-For": "198.51.100.99" }).signIn("alice", "guess");
    expect(blocked.status).toBe(429);
  });

  it("behind one trusted proxy, counts the address the proxy saw, whatever the client prepends", async () => {
    await start({ TRUSTED_PROXY_HOPS: "1" });
    for (let i = 0; i < 10; i++) {
      const forged = browser({ "X-Forwarded-For": `10.0.0.${i}, 203.0.113.5` });
      expect((await forged.signIn("alice", "guess")).status).toBe(401);
    }
    const sameClient = browser({ "X-Forwarded-For": "10.9.9.9, 203.0.113.5" });
    expect((await sameClient.signIn("alice", "guess")).status).toBe(429);
    // Another client of the same account, from another address, is not blocked by them.
    const owner = browser({ "X-Forwarded-For": "192.0.2.44" });
    expect((await owner.signIn("alice", PASSWORD)).status).toBe(303);
  });
});

describe("a leaked code or refresh token ends its whole grant", () => {
  it("replaying a code revokes the tokens already issued with it", async () => {
    const b = await start();
    const code = (await b.authorize("alice", PASSWORD)).get("code") ?? "";
    const grant = {
      grant_type: "authorization_code",
      code,
      redirect_uri: CALLBACK,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    };
    const first = await b.token(grant);
    expect(first.status).toBe(200);
    expect((await todos(first.body.access_token as string)).status).toBe(200);
    const replay = await b.token(grant);
    expect(replay.body.error).toBe("invalid_grant");
    expect((await todos(first.body.access_token as string)).status).toBe(401);
    expect((await refresh(b, first.body.refresh_token as string)).body.error).toBe("invalid_grant");
  });

  it("reusing a rotated refresh token revokes the tokens that replaced it", async () => {
    const b = await start();
    const original = await tokens(b);
    const rotated = await refresh(b, original.refresh_token);
    expect(rotated.status).toBe(200);
    const reuse = await refresh(b, original.refresh_token);
    expect(reuse.body.error).toBe("invalid_grant");
    expect((await todos(rotated.body.access_token as string)).status).toBe(401);
    expect((await refresh(b, rotated.body.refresh_token as string)).body.error).toBe(
      "invalid_grant",
    );
  });
});

describe("grants are visible and revocable, and a password change revokes them", () => {
  it("lists and revokes a grant, and a new password revokes the rest", async () => {
    const b = await start();
    const first = await tokens(b);
    const second = await tokens(b);
    const { grants } = await testApp.accounts.listGrants("alice");
    expect(grants).toHaveLength(2);
    expect(grants[0]).toMatchObject({ clientId: CLIENT_ID, scope: undefined, resource: undefined });
    await testApp.accounts.revokeGrant("alice", grants[1]?.id ?? 0);
    expect((await todos(first.access_token)).status).toBe(401);
    expect((await todos(second.access_token)).status).toBe(200);
    const changed = await testApp.accounts.setPassword("alice", "a brand new password");
    expect(changed.revokedGrants).toBe(1);
    expect((await todos(second.access_token)).status).toBe(401);
    expect((await refresh(b, second.refresh_token)).body.error).toBe("invalid_grant");
  });
});

describe("redirect URIs", () => {
  it("match exactly by default: another plugin's ChatGPT callback gets no code", async () => {
    const b = await start();
    const res = await b.agent.get(
      b.url({ redirect_uri: "https://chatgpt.com/aip/g-attacker/oauth/callback" }),
    );
    expect(res.status).toBe(400);
    expect(res.headers["location"]).toBeUndefined();
  });

  it("match one path segment only with OAUTH_REDIRECT_URI_WILDCARDS=true", async () => {
    const b = await start({
      OAUTH_REDIRECT_URIS: "https://chatgpt.com/aip/*/oauth/callback",
      OAUTH_REDIRECT_URI_WILDCARDS: "true",
    });
    const other = "https://chatgpt.com/aip/g-other/oauth/callback";
    expect((await b.agent.get(b.url({ redirect_uri: other }))).status).toBe(200);
    const deeper = "https://chatgpt.com/aip/a/b/oauth/callback";
    expect((await b.agent.get(b.url({ redirect_uri: deeper }))).status).toBe(400);
  });
});

describe("a request that will fail fails before the password", () => {
  it.each([
    ["a state that is not visible ASCII", { state: "café" }, "invalid_request"],
    ["an unknown scope", { scope: "admin" }, "invalid_scope"],
    ["an implicit-flow response type", { response_type: "token" }, "unsupported_response_type"],
  ])("sends %s back from the page, with state and iss", async (_name, params, error) => {
    const b = await start();
    const res = await b.agent.get(b.url(params));
    expect(res.status).toBe(302);
    const location = new URL(res.headers["location"] as string);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get("error")).toBe(error);
    expect(location.searchParams.get("state")).toBe("state" in params ? params.state : "st4te");
    expect(location.searchParams.get("iss")).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe("over https", () => {
  it("uses a __Host- CSRF cookie and sends HSTS", async () => {
    const b = await start({ PUBLIC_URL: "https://todo.example.com" });
    const page = await b.agent.get(b.url());
    expect(String(page.headers["set-cookie"])).toMatch(
      /^__Host-plugkit_oauth_csrf=[^;]+; Max-Age=3600; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict/,
    );
    expect(page.headers["strict-transport-security"]).toBe("max-age=31536000");
    const manifest = await request(testApp.app).get("/.well-known/ai-plugin.json");
    expect(manifest.headers["strict-transport-security"]).toBe("max-age=31536000");
  });

  it("sends neither over plain http on localhost", async () => {
    const b = await start();
    const page = await b.agent.get(b.url()).set("Host", "localhost:3333");
    expect(String(page.headers["set-cookie"])).toMatch(/^plugkit_oauth_csrf=/);
    expect(page.headers["strict-transport-security"]).toBeUndefined();
  });
});
