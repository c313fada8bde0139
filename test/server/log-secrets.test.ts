import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpBrowser, basicAuth } from "../helpers/http-client";
import { csrfOf, pkce } from "../helpers/oauth";
import { startServer, type ServerProcess } from "../helpers/spawn-server";

// A full OAuth flow against a real server process logging at debug, then every line it wrote
// is searched for each secret that crossed the wire.
const CLIENT_ID = "chatgpt";
const CLIENT_SECRET = "client-secret-".padEnd(48, "s");
const CALLBACK = "https://chatgpt.com/aip/g-logs/oauth/callback";
const PASSWORD = "a password nobody may log";
const CLI = join(__dirname, "..", "..", "packages", "plugkit", "bin", "plugkit.js");

let dir: string;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-logs-"));
  const env = {
    DATABASE_URL: `file:${join(dir, "db.sqlite")}`,
    PLUGIN_AUTH: "oauth",
    OAUTH_CLIENT_ID: CLIENT_ID,
    OAUTH_CLIENT_SECRET: CLIENT_SECRET,
    OAUTH_REDIRECT_URIS: CALLBACK,
    OPENAI_VERIFICATION_TOKEN: "verification-token-value",
    LOG_LEVEL: "debug",
  };
  const created = spawnSync(
    process.execPath,
    [CLI, "accounts", "create", "alice", "--password-stdin"],
    {
      input: `${PASSWORD}\n`,
      env: { ...process.env, ...env },
      encoding: "utf8",
    },
  );
  expect(created.status, created.stderr).toBe(0);
  server = await startServer(env);
});
afterAll(async () => {
  server.child.kill("SIGTERM");
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe("the logs of a full OAuth flow", () => {
  it("hold the requests and their ids, and no password, code, token, secret or cookie", async () => {
    const secrets: string[] = [PASSWORD, CLIENT_SECRET, "verification-token-value"];
    const browser = new HttpBrowser();
    const { verifier, challenge } = pkce();
    secrets.push(verifier);
    const params = {
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: CALLBACK,
      state: "state-value-xyz",
      code_challenge: challenge,
      code_challenge_method: "S256",
    };
    // A wrong password first, then the right one.
    const page = await browser.request(
      `${server.url}/oauth/authorize?${new URLSearchParams(params).toString()}`,
    );
    const csrf = csrfOf(await page.text());
    secrets.push(
      csrf,
      ...page.headers.getSetCookie().map((c) => c.split(";")[0]?.split("=")[1] ?? ""),
    );
    const wrong = await browser.postForm(`${server.url}/oauth/authorize`, {
      ...params,
      csrf_token: csrf,
      username: "alice",
      password: "wrong-password-guess",
      decision: "allow",
    });
    expect(wrong.status).toBe(401);
    secrets.push("wrong-password-guess");
    const signedIn = await browser.signIn(server.url, server.url, params, "alice", PASSWORD);
    expect(signedIn.status).toBe(303);
    secrets.push(
      ...signedIn.headers.getSetCookie().map((c) => c.split(";")[0]?.split("=")[1] ?? ""),
    );
    const code = new URL(signedIn.headers.get("location") ?? "").searchParams.get("code") ?? "";
    secrets.push(code);

    const tokenRequest = (body: Record<string, string>) =>
      fetch(`${server.url}/oauth/token`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: basicAuth(CLIENT_ID, CLIENT_SECRET),
        },
        body: new URLSearchParams(body).toString(),
      });
    const exchanged = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    const tokens = (await exchanged.json()) as { access_token: string; refresh_token: string };
    secrets.push(tokens.access_token, tokens.refresh_token);
    // The code again: a replay, refused.
    expect(
      (
        await tokenRequest({
          grant_type: "authorization_code",
          code,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
        })
      ).status,
    ).toBe(400);

    // A fresh grant, used and refreshed.
    const again = pkce();
    secrets.push(again.verifier);
    const second = await browser.signIn(
      server.url,
      server.url,
      { ...params, code_challenge: again.challenge },
      "alice",
      PASSWORD,
    );
    const code2 = new URL(second.headers.get("location") ?? "").searchParams.get("code") ?? "";
    secrets.push(code2);
    const fresh = (await (
      await tokenRequest({
        grant_type: "authorization_code",
        code: code2,
        redirect_uri: CALLBACK,
        code_verifier: again.verifier,
      })
    ).json()) as { access_token: string; refresh_token: string };
    secrets.push(fresh.access_token, fresh.refresh_token);
    const call = await fetch(`${server.url}/todos/secret-list`, {
      headers: { Authorization: `Bearer ${fresh.access_token}` },
    });
    expect(call.status).toBe(200);
    expect(
      (
        await fetch(`${server.url}/todos/x`, {
          headers: { Authorization: "Bearer pk_at_not-a-real-token-value" },
        })
      ).status,
    ).toBe(401);
    secrets.push("pk_at_not-a-real-token-value");
    const refreshed = (await (
      await tokenRequest({ grant_type: "refresh_token", refresh_token: fresh.refresh_token })
    ).json()) as { access_token: string; refresh_token: string };
    secrets.push(refreshed.access_token, refreshed.refresh_token);
    await fetch(`${server.url}/oauth/revoke`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: basicAuth(CLIENT_ID, CLIENT_SECRET),
      },
      body: new URLSearchParams({ token: refreshed.refresh_token }).toString(),
    });

    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = server
      .output()
      .split("\n")
      .filter((line) => line.trim() !== "");
    // Every request was logged, each line with its request id.
    const requests = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l["msg"] === "request");
    expect(requests.length).toBeGreaterThanOrEqual(12);
    for (const line of requests) expect(line["request_id"]).toEqual(expect.any(String));
    for (const secret of secrets.filter((s) => s.length >= 8)) {
      const leaked = lines.filter((line) => line.includes(secret));
      expect(leaked, `a log line holds ${secret.slice(0, 12)}…`).toEqual([]);
    }
  });
});
