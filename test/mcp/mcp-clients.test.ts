import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Server } from "node:http";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { HttpBrowser } from "../helpers/http-client";

// The official MCP TypeScript clients, both lines, against the example plugin over real HTTP,
// in every auth mode: they list every operation as a tool and call each one.

interface Running {
  testApp: TestApp;
  url: string;
}
const running: { testApp: TestApp; server: Server }[] = [];
const clients: { close(): Promise<void> }[] = [];

async function serve(env: Record<string, string>): Promise<Running> {
  const testApp = createTestApp({ API_RATE_LIMIT: "0", ...env });
  const server = await new Promise<Server>((resolve) => {
    const listening = testApp.app.listen(0, "127.0.0.1", () => {
      resolve(listening);
    });
  });
  running.push({ testApp, server });
  const { port } = server.address() as AddressInfo;
  return { testApp, url: `http://127.0.0.1:${port}/mcp` };
}

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  for (const { testApp, server } of running.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await testApp.dispose();
  }
});

/** What the tests need of either client line. */
interface McpClient {
  listTools(): Promise<{
    tools: {
      name: string;
      title?: string;
      description?: string;
      inputSchema: Record<string, unknown>;
      outputSchema?: Record<string, unknown>;
      annotations?: Record<string, unknown>;
    }[];
  }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<{
    content?: unknown;
    structuredContent?: unknown;
    isError?: boolean;
  }>;
  close(): Promise<void>;
}

/** An OAuth client provider for either line: a public client registering itself, with PKCE. */
class TestOAuthProvider {
  readonly redirectUrl = "http://127.0.0.1:8976/callback";
  readonly clientMetadata = {
    client_name: "plugkit MCP test client",
    redirect_uris: [this.redirectUrl],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  };
  authorizationUrl: URL | undefined;
  private client: unknown;
  private saved: unknown;
  private verifier = "";
  clientInformation = (): never => this.client as never;
  saveClientInformation = (info: unknown): void => {
    this.client = info;
  };
  tokens = (): never => this.saved as never;
  saveTokens = (tokens: unknown): void => {
    this.saved = tokens;
  };
  redirectToAuthorization = (url: URL): void => {
    this.authorizationUrl = url;
  };
  saveCodeVerifier = (verifier: string): void => {
    this.verifier = verifier;
  };
  codeVerifier = (): string => this.verifier;
  // 2.x: binds the callback to the authorization server it discovered (SEP-2352).
  private discovery: unknown;
  saveDiscoveryState = (state: unknown): void => {
    this.discovery = state;
  };
  discoveryState = (): never => this.discovery as never;
}

interface Connect {
  headers?: Record<string, string>;
  oauth?: TestOAuthProvider;
}

/** What connecting takes of a client line: a client, a transport, and how a sign-in is finished. */
interface Line<T extends { finishAuth(...args: never[]): Promise<void> }> {
  name: string;
  client(): McpClient & { connect(transport: T): Promise<void> };
  transport(url: URL, init: { requestInit: RequestInit; authProvider?: never }): T;
  finish(transport: T, callback: URLSearchParams): Promise<void>;
}

/**
 * Connects a client of a line; with OAuth, the first attempt stops at the sign-in page, the
 * test signs in as a browser would, and the client finishes and connects again.
 */
async function connectWith<T extends { finishAuth(...args: never[]): Promise<void> }>(
  line: Line<T>,
  url: string,
  options: Connect,
): Promise<McpClient> {
  const transport = (): T =>
    line.transport(new URL(url), {
      requestInit: { headers: options.headers ?? {} },
      ...(options.oauth === undefined ? {} : { authProvider: options.oauth as never }),
    });
  const client = line.client();
  const first = transport();
  try {
    await client.connect(first);
  } catch (error) {
    if (options.oauth?.authorizationUrl === undefined) throw error;
    await line.finish(first, await signIn(options.oauth.authorizationUrl));
    await client.connect(transport());
  }
  clients.push(client);
  return client;
}

const V1: Line<TransportV1> = {
  name: "1.x (@modelcontextprotocol/sdk)",
  client: () => new ClientV1({ name: "plugkit-test", version: "1.0.0" }) as never,
  transport: (url, init) => new TransportV1(url, init),
  finish: (transport, callback) => transport.finishAuth(callback.get("code") ?? ""),
};
const V2: Line<TransportV2> = {
  name: "2.x (@modelcontextprotocol/client)",
  client: () => new ClientV2({ name: "plugkit-test", version: "2.0.0" }),
  transport: (url, init) => new TransportV2(url, init),
  // 2.x checks the callback's iss (RFC 9207) as well as taking its code.
  finish: (transport, callback) => transport.finishAuth(callback),
};
const LINES = [
  { name: V1.name, connect: (url: string, options: Connect) => connectWith(V1, url, options) },
  { name: V2.name, connect: (url: string, options: Connect) => connectWith(V2, url, options) },
];

const USERS = { alice: "alice-password", bob: "bob-password-2" };

/** Signs in on the plugin's page as alice and returns the redirect's parameters. */
async function signIn(authorizationUrl: URL, user: keyof typeof USERS = "alice") {
  const browser = new HttpBrowser();
  const params = Object.fromEntries(authorizationUrl.searchParams);
  const answer = await browser.signIn(
    authorizationUrl.origin,
    authorizationUrl.origin,
    params,
    user,
    USERS[user],
  );
  expect(answer.status, await answer.clone().text()).toBe(303);
  return new URL(answer.headers.get("location") ?? "").searchParams;
}

/** Every operation of the built spec, in its order: each must be a tool. */
const OPERATIONS = ((): string[] => {
  const spec = JSON.parse(
    readFileSync(join(__dirname, "..", "..", "generated", "openapi.json"), "utf8"),
  ) as { paths: Record<string, Record<string, { operationId?: string }>> };
  return Object.values(spec.paths).flatMap((item) =>
    ["get", "put", "post", "delete", "patch"].flatMap((method) => item[method]?.operationId ?? []),
  );
})();

/** Lists the tools and calls every one, as a model would. */
async function exerciseEveryTool(client: McpClient, username: string): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toEqual(OPERATIONS);
  // The example's operations, each called below.
  expect(OPERATIONS).toEqual(
    expect.arrayContaining([
      "getGames",
      "getPlayers",
      "getSeasonAverages",
      "getStats",
      "getTeams",
      "getTodos",
      "addTodo",
      "deleteTodo",
    ]),
  );
  const getTodos = tools.find((tool) => tool.name === "getTodos");
  expect(getTodos?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
  expect(getTodos?.inputSchema).toMatchObject({
    type: "object",
    required: ["username"],
    properties: { username: { type: "string", minLength: 1, maxLength: 100 } },
  });
  expect(getTodos?.outputSchema).toMatchObject({ type: "object" });
  expect(tools.find((tool) => tool.name === "deleteTodo")?.annotations).toMatchObject({
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
  });

  const ok = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    expect(result.isError ?? false, JSON.stringify(result)).toBe(false);
    return result;
  };
  expect((await ok("getTodos", { username })).structuredContent).toEqual({ todos: [] });
  await ok("addTodo", { username, todo: "buy milk 🥛" });
  await ok("addTodo", { username, todo: "call Bob" });
  expect((await ok("getTodos", { username })).structuredContent).toEqual({
    todos: ["buy milk 🥛", "call Bob"],
  });
  await ok("deleteTodo", { username, todo_idx: 0 });
  expect((await ok("getTodos", { username })).structuredContent).toEqual({
    todos: ["call Bob"],
  });

  const teams = (await ok("getTeams", {})).structuredContent as { data: { id: number }[] };
  expect(teams.data.length).toBeGreaterThan(0);
  const players = (await ok("getPlayers", { query: "a", limit: 2 })).structuredContent as {
    data: { id: number }[];
  };
  expect(players.data).toHaveLength(2);
  const playerId = players.data[0]?.id;
  const games = (await ok("getGames", { limit: 3, seasons: [2023] })).structuredContent as {
    data: unknown[];
  };
  expect(games.data.length).toBeGreaterThan(0);
  await ok("getStats", { limit: 2, player_ids: [playerId] });
  await ok("getSeasonAverages", { player_ids: [playerId], season: 2023 });

  // The API's errors are tool results the model can act on.
  const missing = await client.callTool({
    name: "deleteTodo",
    arguments: { username, todo_idx: 9 },
  });
  expect(missing.isError).toBe(true);
  expect(JSON.stringify(missing.content)).toContain("Error 404 todo_not_found");
  const invalid = await client.callTool({ name: "addTodo", arguments: { username, todo: "" } });
  expect(invalid.isError).toBe(true);
  expect(JSON.stringify(invalid.content)).toContain("Error 400 validation_failed");
  // An unknown tool is a protocol error.
  await expect(client.callTool({ name: "noSuchTool", arguments: {} })).rejects.toThrow(
    /Unknown tool: noSuchTool/,
  );
}

describe.each(LINES)("the MCP server, with the official $name client", (line) => {
  it("PLUGIN_AUTH=none: lists every operation as a tool and calls each", async () => {
    const { url } = await serve({});
    await exerciseEveryTool(await line.connect(url, {}), "mcp-user");
  });

  it("PLUGIN_AUTH=service_http: the key passes through; without it, 401", async () => {
    const key = "k".repeat(40);
    const { url } = await serve({ PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: key });
    await expect(line.connect(url, {})).rejects.toThrow(/missing_credentials/);
    await exerciseEveryTool(
      await line.connect(url, { headers: { Authorization: `Bearer ${key}` } }),
      "mcp-user",
    );
  });

  it("PLUGIN_AUTH=user_http: each user's token sees only that user's lists", async () => {
    const { url, testApp } = await serve({ PLUGIN_AUTH: "user_http" });
    await testApp.accounts.create("alice", USERS.alice);
    await testApp.accounts.create("bob", USERS.bob);
    const alice = (await testApp.accounts.issueToken("alice")).token;
    const bob = (await testApp.accounts.issueToken("bob")).token;
    const asAlice = await line.connect(url, { headers: { Authorization: `Bearer ${alice}` } });
    await exerciseEveryTool(asAlice, "global");
    const asBob = await line.connect(url, { headers: { Authorization: `Bearer ${bob}` } });
    const bobs = await asBob.callTool({ name: "getTodos", arguments: { username: "global" } });
    expect(bobs.structuredContent).toEqual({ todos: [] });
    await expect(
      line.connect(url, { headers: { Authorization: "Bearer pk_user_made-up" } }),
    ).rejects.toThrow(/The API token is not valid/);
  });

  it("PLUGIN_AUTH=oauth: discovers, registers, signs in with PKCE and calls with the token", async () => {
    const { url, testApp } = await serve({ PLUGIN_AUTH: "oauth" });
    await testApp.accounts.create("alice", USERS.alice);
    await testApp.accounts.create("bob", USERS.bob);
    const oauth = new TestOAuthProvider();
    const client = await line.connect(url, { oauth });
    // It went through the sign-in page, for this server's MCP endpoint.
    expect(oauth.authorizationUrl?.searchParams.get("resource")).toBe(url);
    expect(oauth.authorizationUrl?.searchParams.get("code_challenge_method")).toBe("S256");
    await exerciseEveryTool(client, "global");
    // The token is bound to the MCP endpoint (RFC 8707): the REST API refuses it.
    const { access_token } = oauth.tokens() as { access_token: string };
    const direct = await fetch(url.replace(/\/mcp$/, "/todos/global"), {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    expect(direct.status).toBe(401);
    expect(await direct.json()).toMatchObject({
      message: "The access token was issued for another resource.",
    });

    // Bob, signed in through his own client, does not see Alice's list.
    const bobProvider = new TestOAuthProvider();
    const bobClient = await (async () => {
      const first = new TransportV1(new URL(url), { authProvider: bobProvider });
      const c = new ClientV1({ name: "bob", version: "1.0.0" });
      await c.connect(first).catch(() => undefined);
      const params = await signIn(bobProvider.authorizationUrl ?? new URL(url), "bob");
      await first.finishAuth(params.get("code") ?? "");
      await c.connect(new TransportV1(new URL(url), { authProvider: bobProvider }));
      clients.push(c);
      return c;
    })();
    const bobs = await bobClient.callTool({ name: "getTodos", arguments: { username: "global" } });
    expect(bobs.structuredContent).toEqual({ todos: [] });
  });
});
