import { createHash, randomBytes } from "node:crypto";
import request from "supertest";
import type TestAgent from "supertest/lib/agent";
import { expect } from "vitest";
import type { TestApp } from "./test-app";

/** An authorization request's parameters. */
export type AuthorizeParams = Record<string, string>;

/** A PKCE verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function csrfOf(html: string): string {
  const match = /name="csrf_token" value="([^"]+)"/.exec(html);
  if (match?.[1] === undefined) throw new Error(`no CSRF token in:\n${html}`);
  return match[1];
}

/** Drives the sign-in page of a test app as a browser would (cookies kept per agent). */
export class OAuthBrowser {
  readonly agent: TestAgent;

  constructor(
    private readonly testApp: TestApp,
    private readonly defaults: AuthorizeParams,
    headers: Record<string, string> = {},
  ) {
    this.agent = request.agent(testApp.app);
    for (const [name, value] of Object.entries(headers)) this.agent.set(name, value);
  }

  url(params: AuthorizeParams = {}): string {
    return `/oauth/authorize?${new URLSearchParams({ ...this.defaults, ...params }).toString()}`;
  }

  /** Opens the page and submits the form; returns the answer to the form post. */
  async signIn(
    username: string,
    password: string,
    params: AuthorizeParams = {},
    decision = "allow",
  ): Promise<request.Response> {
    const page = await this.agent.get(this.url(params));
    expect(page.status, page.text).toBe(200);
    return this.agent
      .post("/oauth/authorize")
      .type("form")
      .send({
        ...this.defaults,
        ...params,
        csrf_token: csrfOf(page.text),
        username,
        password,
        decision,
      });
  }

  /** Signs in and returns the redirect's query parameters (code, state, iss). */
  async authorize(
    username: string,
    password: string,
    params: AuthorizeParams = {},
  ): Promise<URLSearchParams> {
    const res = await this.signIn(username, password, params);
    expect(res.status, res.text).toBe(303);
    return new URL(res.headers["location"] as string).searchParams;
  }

  token(body: Record<string, string>): request.Test {
    return request(this.testApp.app).post("/oauth/token").type("form").send(body);
  }
}
