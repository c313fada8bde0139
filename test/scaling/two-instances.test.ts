import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  POSTGRES_URL,
  REDIS_URL,
  createTestPostgres,
  testRedisPrefix,
  type TestPostgres,
} from "../helpers/databases";
import { HttpBrowser, basicAuth } from "../helpers/http-client";
import { pkce } from "../helpers/oauth";
import { startServer, type ServerProcess } from "../helpers/spawn-server";

// Two server processes on one PostgreSQL and one Redis, as two Heroku dynos or Fly.io machines
// behind one origin: whatever one instance does, the other sees.
const CLIENT_ID = "chatgpt";
const CLIENT_SECRET = "c".repeat(40);
const CALLBACK = "https://chatgpt.com/aip/g-two/oauth/callback";
const PASSWORD = "alice's long password";
const CLI = join(__dirname, "..", "..", "packages", "plugkit", "bin", "plugkit.js");

let database: TestPostgres;
let a: ServerProcess;
let b: ServerProcess;
let env: Record<string, string>;

describe.skipIf(POSTGRES_URL === null || REDIS_URL === null)(
  "two instances on one PostgreSQL and one Redis",
  () => {
    beforeAll(async () => {
      database = await createTestPostgres();
      env = {
        DATABASE_URL: database.url,
        REDIS_URL: REDIS_URL ?? "",
        REDIS_KEY_PREFIX: testRedisPrefix(),
        PLUGIN_AUTH: "oauth",
        OAUTH_CLIENT_ID: CLIENT_ID,
        OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        OAUTH_REDIRECT_URIS: CALLBACK,
        // As behind Heroku's router or Fly.io's proxy: the client's address is forwarded.
        TRUSTED_PROXY_HOPS: "1",
      };
      // Started together: their migrations take turns under the advisory lock.
      [a, b] = await Promise.all([startServer(env), startServer(env)]);
      // The account is made the way the README says to in production: the CLI, on DATABASE_URL.
      const created = spawnSync(
        process.execPath,
        [CLI, "accounts", "create", "alice", "--password-stdin"],
        {
          input: `${PASSWORD}\n`,
          env: { ...process.env, DATABASE_URL: database.url },
          encoding: "utf8",
        },
      );
      expect(created.status, created.stderr).toBe(0);
    });

    afterAll(async () => {
      for (const server of [a, b]) {
        server.child.kill("SIGTERM");
        await server.exited;
      }
      await database.drop();
    });

    const authorizeParams = (challenge: string) => ({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: CALLBACK,
      state: "st",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });

    /** Signs alice in at one instance (the page) and the other (the form); returns a code. */
    async function codeFrom(page: ServerProcess, form: ServerProcess) {
      const { verifier, challenge } = pkce();
      const res = await new HttpBrowser().signIn(
        page.url,
        form.url,
        authorizeParams(challenge),
        "alice",
        PASSWORD,
      );
      expect(res.status).toBe(303);
      const code = new URL(res.headers.get("location") ?? "").searchParams.get("code");
      if (code === null) throw new Error("no code");
      return { code, verifier };
    }

    const exchange = (server: ServerProcess, code: string, verifier: string) =>
      fetch(`${server.url}/oauth/token`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: basicAuth(CLIENT_ID, CLIENT_SECRET),
        },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
        }).toString(),
      });

    async function tokensFrom(server: ServerProcess) {
      const { code, verifier } = await codeFrom(a, b);
      const res = await exchange(server, code, verifier);
      expect(res.status).toBe(200);
      return (await res.json()) as { access_token: string; refresh_token: string };
    }

    it("redeems a code issued by one at the other, exactly once when six redemptions race", async () => {
      const { code, verifier } = await codeFrom(a, a);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => exchange(i % 2 === 0 ? b : a, code, verifier)),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 400, 400, 400, 400, 400]);
      const refused = results.filter((r) => r.status === 400);
      for (const r of refused)
        expect(((await r.json()) as { error: string }).error).toBe("invalid_grant");
    });

    it("reads through one the todo added through the other", async () => {
      const { access_token } = await tokensFrom(b);
      const auth = { Authorization: `Bearer ${access_token}` };
      const added = await fetch(`${a.url}/todos/groceries`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ todo: "milk, from instance A" }),
      });
      expect(added.status).toBe(200);
      const read = await fetch(`${b.url}/todos/groceries`, { headers: auth });
      expect(await read.json()).toEqual({ todos: ["milk, from instance A"] });
    });

    it("refuses at one a token revoked at the other", async () => {
      const { access_token, refresh_token } = await tokensFrom(a);
      const auth = { Authorization: `Bearer ${access_token}` };
      expect((await fetch(`${b.url}/todos/x`, { headers: auth })).status).toBe(200);
      const revoked = await fetch(`${a.url}/oauth/revoke`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: basicAuth(CLIENT_ID, CLIENT_SECRET),
        },
        body: new URLSearchParams({ token: refresh_token }).toString(),
      });
      expect(revoked.status).toBe(200);
      expect((await fetch(`${b.url}/todos/x`, { headers: auth })).status).toBe(401);
      expect((await fetch(`${a.url}/todos/x`, { headers: auth })).status).toBe(401);
    });

    it("counts sign-in failures made at both against one limit", async () => {
      const browser = new HttpBrowser({ "X-Forwarded-For": "203.0.113.10" });
      const params = authorizeParams(pkce().challenge);
      const statuses: number[] = [];
      // 10 wrong passwords per account and address per 15 minutes, alternating instances.
      for (let i = 0; i < 12; i++) {
        const server = i % 2 === 0 ? a : b;
        const res = await browser.signIn(server.url, server.url, params, "alice", "wrong password");
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual([429, 429]);
      // The right password from elsewhere still works: the limit is per account and address.
      const other = new HttpBrowser({ "X-Forwarded-For": "203.0.113.77" });
      expect(
        (await other.signIn(b.url, b.url, authorizeParams(pkce().challenge), "alice", PASSWORD))
          .status,
      ).toBe(303);
    });
  },
);
