import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SERVER_DATABASES } from "../helpers/databases";
import { HttpBrowser } from "../helpers/http-client";
import { pkce } from "../helpers/oauth";
import { startServer, type ServerProcess } from "../helpers/spawn-server";

// SIGKILL at random moments while clients stream writes (todos; OAuth clients, codes and
// tokens), then restart on the same database: every acknowledged write is there, in order,
// and nothing else but what was in flight.
// CRASH_ROUNDS sets the kills per database (3 in CI; `npm run crash` runs 20).
const ROUNDS = Number(process.env["CRASH_ROUNDS"] ?? 3);
const CLIENTS = 8;

const running: ServerProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
});

/** A pseudo-random number from a seed, so a failing run can be told apart and repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

describe.each(SERVER_DATABASES)("SIGKILL at random moments on $name", (backend) => {
  it(`keeps every acknowledged write through ${ROUNDS} kills and restarts`, async () => {
    const seed = Number(process.env["CRASH_SEED"] ?? Date.now() % 1_000_000);
    console.log(`crash on ${backend.name}: CRASH_SEED=${seed} CRASH_ROUNDS=${ROUNDS}`);
    const next = random(seed);
    const database = await backend.create();
    const env = { DATABASE_URL: database.url, API_RATE_LIMIT: "0" };
    // What each client's list must hold: every acknowledged todo, in the order sent.
    const acknowledged = Array.from({ length: CLIENTS }, () => [] as number[]);
    const inFlight = Array.from({ length: CLIENTS }, () => new Set<number>());
    const sent = Array.from({ length: CLIENTS }, () => 0);
    const list = (client: number) => `crash-${client}-${Math.floor(sent[client]! / 90)}`;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const server = await startServer(env);
        running.push(server);
        // Everything acknowledged before this start is there, and nothing half-written.
        await verify(server.url, acknowledged, inFlight);
        let killed = false;
        // Read through a function: the clients run while the test sets it.
        const isKilled = (): boolean => killed;
        const clients = Array.from({ length: CLIENTS }, async (_, client) => {
          while (!isKilled()) {
            const n = sent[client]!;
            const target = list(client);
            inFlight[client]!.add(n);
            try {
              const res = await fetch(`${server.url}/todos/${target}`, {
                method: "POST",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify({ todo: `client ${client} todo ${n}` }),
              });
              if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
              acknowledged[client]!.push(n);
              inFlight[client]!.delete(n);
              sent[client] = n + 1;
            } catch (error) {
              if (!isKilled()) throw error;
              // Killed with this request in flight: it may or may not have been written.
              sent[client] = n + 1;
              return;
            }
          }
        });
        await new Promise((resolve) => setTimeout(resolve, 200 + next() * 1_300));
        server.child.kill("SIGKILL");
        killed = true;
        await Promise.all(clients);
        await server.exited;
        running.splice(running.indexOf(server), 1);
      }
      const last = await startServer(env);
      running.push(last);
      await verify(last.url, acknowledged, inFlight);
      expect(acknowledged.flat().length).toBeGreaterThan(ROUNDS * 10);
    } finally {
      for (const server of running.splice(0)) {
        server.child.kill("SIGKILL");
        await server.exited;
      }
      await database.drop();
    }
  }, 300_000);
});

/**
 * Reads every client's lists: each holds exactly the acknowledged todos, in order, plus at most
 * the ones that were in flight at a kill, each whole (no other text is acceptable).
 */
async function verify(
  url: string,
  acknowledged: number[][],
  inFlight: Set<number>[],
): Promise<void> {
  for (const [client, todos] of acknowledged.entries()) {
    const lists = new Set([...todos, ...inFlight[client]!].map((n) => Math.floor(n / 90)));
    const stored: number[] = [];
    for (const index of [...lists].sort((a, b) => a - b)) {
      const res = await fetch(`${url}/todos/crash-${client}-${index}`);
      const body = (await res.json()) as { todos: string[] };
      expect(res.status).toBe(200);
      for (const todo of body.todos) {
        const match = new RegExp(`^client ${client} todo (\\d+)$`).exec(todo);
        expect(match, `a todo written whole: ${JSON.stringify(todo)}`).not.toBeNull();
        stored.push(Number(match?.[1]));
      }
    }
    const extra = stored.filter((n) => !todos.includes(n));
    expect(
      extra.every((n) => inFlight[client]!.has(n)),
      `client ${client}: ${extra.join(",")}`,
    ).toBe(true);
    expect(
      stored.filter((n) => todos.includes(n)),
      `client ${client}`,
    ).toEqual(todos);
  }
}

const CALLBACK = "https://claude.ai/api/mcp/auth_callback";
const PASSWORD = "alice's long password";
const CLI = join(__dirname, "..", "..", "packages", "plugkit", "bin", "plugkit.js");
const OAUTH_WORKERS = 4;

/** What one OAuth client has been told, and what it had in flight at a kill. */
interface OAuthWorker {
  /** Client ids whose registration was acknowledged (201). */
  clients: string[];
  /** The latest token pair acknowledged, and whether a refresh of it was in flight. */
  tokens: { access: string; refresh: string; clientId: string } | undefined;
  refreshInFlight: boolean;
  /** Numbers of the todos acknowledged, in order, and those in flight at a kill. */
  todos: number[];
  todosInFlight: Set<number>;
  sent: number;
}

describe.each(SERVER_DATABASES)("SIGKILL at random moments during OAuth on $name", (backend) => {
  it(`keeps every acknowledged client registration, token and rotation through ${ROUNDS} kills`, async () => {
    const seed = Number(process.env["CRASH_SEED"] ?? Date.now() % 1_000_000);
    console.log(`OAuth crash on ${backend.name}: CRASH_SEED=${seed} CRASH_ROUNDS=${ROUNDS}`);
    const next = random(seed);
    const database = await backend.create();
    const env = {
      DATABASE_URL: database.url,
      API_RATE_LIMIT: "0",
      PLUGIN_AUTH: "oauth",
      // Each registration and sign-in comes from an address of its own, as from many users (the
      // per-address limits are 10 registrations an hour and 30 failed sign-ins in 15 minutes).
      TRUSTED_PROXY_HOPS: "1",
    };
    const workers: OAuthWorker[] = Array.from({ length: OAUTH_WORKERS }, () => ({
      clients: [],
      tokens: undefined,
      refreshInFlight: false,
      todos: [],
      todosInFlight: new Set(),
      sent: 0,
    }));
    let addresses = 0;
    const from = () => ({ "X-Forwarded-For": `10.9.${addresses >> 8}.${addresses++ & 255}` });
    try {
      // One account per worker (a sign-in a kill interrupts stays counted against its account),
      // made as the README says: the CLI, on DATABASE_URL (it migrates first).
      for (let index = 0; index < OAUTH_WORKERS; index++) {
        const created = spawnSync(
          process.execPath,
          [CLI, "accounts", "create", accountOf(index), "--password-stdin"],
          {
            input: `${PASSWORD}\n`,
            env: { ...process.env, DATABASE_URL: database.url },
            encoding: "utf8",
          },
        );
        expect(created.status, created.stderr).toBe(0);
      }
      for (let round = 0; round <= ROUNDS; round++) {
        const server = await startServer(env);
        running.push(server);
        await verifyOAuth(server.url, workers, from);
        if (round === ROUNDS) break;
        let killed = false;
        const isKilled = (): boolean => killed;
        const clients = workers.map(async (worker, index) => {
          try {
            while (!isKilled()) await oauthRound(server.url, worker, index, from);
          } catch (error) {
            if (!isKilled()) return error;
          }
          return undefined;
        });
        await new Promise((resolve) => setTimeout(resolve, 300 + next() * 1_500));
        server.child.kill("SIGKILL");
        killed = true;
        // A worker that failed before the kill fails the test, with its error.
        expect((await Promise.all(clients)).filter((error) => error !== undefined)).toEqual([]);
        await server.exited;
        running.splice(running.indexOf(server), 1);
      }
      const registrations = workers.flatMap((worker) => worker.clients).length;
      console.log(
        `OAuth crash on ${backend.name}: ${registrations} registrations and ${workers.reduce((n, worker) => n + worker.todos.length, 0)} todos acknowledged (each with a token rotation after it) through ${ROUNDS} kills`,
      );
      expect(registrations).toBeGreaterThan(ROUNDS);
    } finally {
      for (const server of running.splice(0)) {
        server.child.kill("SIGKILL");
        await server.exited;
      }
      await database.drop();
    }
  }, 300_000);
});

const authorizeParams = (clientId: string, challenge: string) => ({
  response_type: "code",
  client_id: clientId,
  redirect_uri: CALLBACK,
  state: "st",
  code_challenge: challenge,
  code_challenge_method: "S256",
});

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** A token request from a public client; throws on a 5xx. */
async function tokenRequest(url: string, form: Record<string, string>): Promise<Response> {
  const res = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  if (res.status >= 500) throw new Error(`token: ${res.status} ${await res.text()}`);
  return res;
}

/**
 * One client's life: it registers (RFC 7591), signs alice in with PKCE, redeems the code, then
 * adds todos with its access token and rotates its refresh token between them.
 */
async function oauthRound(
  url: string,
  worker: OAuthWorker,
  index: number,
  from: () => Record<string, string>,
): Promise<void> {
  const registered = await postJson(
    `${url}/oauth/register`,
    {
      client_name: `crash ${index}`,
      redirect_uris: [CALLBACK],
      token_endpoint_auth_method: "none",
    },
    from(),
  );
  if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
  const clientId = ((await registered.json()) as { client_id: string }).client_id;
  worker.clients.push(clientId);
  const { verifier, challenge } = pkce();
  const signedIn = await new HttpBrowser(from()).signIn(
    url,
    url,
    authorizeParams(clientId, challenge),
    accountOf(index),
    PASSWORD,
  );
  if (signedIn.status !== 303) throw new Error(`sign-in: ${signedIn.status}`);
  const code = new URL(signedIn.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const redeemed = await tokenRequest(url, {
    grant_type: "authorization_code",
    client_id: clientId,
    code,
    redirect_uri: CALLBACK,
    code_verifier: verifier,
  });
  if (redeemed.status !== 200) throw new Error(`code: ${redeemed.status}`);
  worker.tokens = { ...tokensOf(await redeemed.json()), clientId };
  for (let i = 0; i < 3; i++) {
    const n = worker.sent++;
    worker.todosInFlight.add(n);
    const added = await postJson(
      `${url}/todos/${oauthList(index, n)}`,
      { todo: `worker ${index} todo ${n}` },
      { Authorization: `Bearer ${worker.tokens.access}` },
    );
    if (added.status !== 200) throw new Error(`todo: ${added.status} ${await added.text()}`);
    worker.todos.push(n);
    worker.todosInFlight.delete(n);
    worker.refreshInFlight = true;
    const refreshed = await tokenRequest(url, {
      grant_type: "refresh_token",
      client_id: clientId,
      refresh_token: worker.tokens.refresh,
    });
    if (refreshed.status !== 200) throw new Error(`refresh: ${refreshed.status}`);
    worker.tokens = { ...tokensOf(await refreshed.json()), clientId };
    worker.refreshInFlight = false;
  }
}

const accountOf = (worker: number): string => `crash${worker}`;

/** A worker's todos go to a new list every 90 (a list holds at most 100). */
function oauthList(worker: number, n: number): string {
  return `crash-oauth-${worker}-${Math.floor(n / 90)}`;
}

function tokensOf(body: unknown): { access: string; refresh: string } {
  const { access_token, refresh_token } = body as { access_token: string; refresh_token: string };
  return { access: access_token, refresh: refresh_token };
}

/**
 * After a restart: every acknowledged registration is a client the sign-in page knows; the
 * latest acknowledged tokens work (unless a rotation of them was in flight: then the refresh
 * token either still works or is refused as used, never a 5xx); each worker's todo list holds
 * exactly its acknowledged todos, in order, plus at most what was in flight, whole.
 */
async function verifyOAuth(
  url: string,
  workers: OAuthWorker[],
  from: () => Record<string, string>,
): Promise<void> {
  for (const [index, worker] of workers.entries()) {
    for (const clientId of worker.clients) {
      const page = await fetch(
        `${url}/oauth/authorize?${new URLSearchParams(authorizeParams(clientId, pkce().challenge)).toString()}`,
      );
      expect(page.status, `client ${clientId} registered before a kill`).toBe(200);
      await page.arrayBuffer();
    }
    if (worker.tokens !== undefined) {
      const read = await fetch(`${url}/todos/${oauthList(index, worker.sent)}`, {
        headers: { Authorization: `Bearer ${worker.tokens.access}` },
      });
      await read.arrayBuffer();
      const refreshed = await tokenRequest(url, {
        grant_type: "refresh_token",
        client_id: worker.tokens.clientId,
        refresh_token: worker.tokens.refresh,
      });
      await refreshed.arrayBuffer();
      if (worker.refreshInFlight) {
        expect([200, 400]).toContain(refreshed.status);
      } else {
        expect(read.status, `worker ${index}: its acknowledged access token`).toBe(200);
        expect(refreshed.status, `worker ${index}: its acknowledged refresh token`).toBe(200);
      }
    }
    worker.tokens = undefined;
    worker.refreshInFlight = false;
    // The list, read with a token of a new sign-in.
    const registered = await postJson(
      `${url}/oauth/register`,
      { client_name: "verify", redirect_uris: [CALLBACK], token_endpoint_auth_method: "none" },
      from(),
    );
    expect(registered.status).toBe(201);
    const verifierClient = ((await registered.json()) as { client_id: string }).client_id;
    const { verifier, challenge } = pkce();
    const signedIn = await new HttpBrowser(from()).signIn(
      url,
      url,
      authorizeParams(verifierClient, challenge),
      accountOf(index),
      PASSWORD,
    );
    expect(signedIn.status).toBe(303);
    const code = new URL(signedIn.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const redeemed = await tokenRequest(url, {
      grant_type: "authorization_code",
      client_id: verifierClient,
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(redeemed.status).toBe(200);
    const { access } = tokensOf(await redeemed.json());
    const lists = new Set(
      [...worker.todos, ...worker.todosInFlight].map((n) => oauthList(index, n)),
    );
    const stored: number[] = [];
    for (const name of [...lists].sort(
      (a, b) => Number(a.split("-").pop()) - Number(b.split("-").pop()),
    )) {
      const list = await fetch(`${url}/todos/${name}`, {
        headers: { Authorization: `Bearer ${access}` },
      });
      expect(list.status).toBe(200);
      for (const todo of ((await list.json()) as { todos: string[] }).todos) {
        const match = new RegExp(`^worker ${index} todo (\\d+)$`).exec(todo);
        expect(match, `a todo written whole: ${JSON.stringify(todo)}`).not.toBeNull();
        stored.push(Number(match?.[1]));
      }
    }
    expect(stored.filter((n) => worker.todos.includes(n))).toEqual(worker.todos);
    expect(stored.every((n) => worker.todos.includes(n) || worker.todosInFlight.has(n))).toBe(true);
  }
}
