import fc from "fast-check";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import type { Express } from "express";
import { createApp as createRetrievalApp } from "../../examples/retrieval/src/app";
import { loadConfig as loadRetrievalConfig } from "../../examples/retrieval/src/config";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccountService, createLogger } from "plugkit";
import { POSTGRES_URL, createTestPostgres, type TestPostgres } from "../helpers/databases";
import { OAuthBrowser } from "../helpers/oauth";
import { SpecValidator } from "../helpers/spec-validator";
import { createTestApp } from "../helpers/test-app";
import { hostile, oddPathValue, valid, type SpecSchemas } from "./spec-arbitraries";

// Requests generated from each plugin's served spec, valid and invalid, for every operation
// and auth type: every answer is a 2xx the spec describes or a JSON 4xx, never a 5xx, and the
// todo lists agree with a model the test keeps; on SQLite, and on PostgreSQL when one answers.
// FUZZ_RUNS sets the runs per operation (100 in CI; `npm run fuzz` runs 2,000), FUZZ_SEED
// replays a run.
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 100);
const SEED = Number(process.env["FUZZ_SEED"] ?? Date.now() % 2_147_483_647);
console.log(`generated-input: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} (set both to replay)`);

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
}
interface Spec extends SpecSchemas {
  paths: Record<string, Record<string, Operation>>;
}

/** A plugin under test with an auth type, its credential, and how to close it. */
interface Target {
  app: Express;
  authorization: string | undefined;
  close(): Promise<void>;
}

/** One generated request. */
interface Generated {
  method: string;
  path: string;
  query: string;
  /** JSON to send, or a raw string with its content type. */
  body: { json: unknown } | { raw: string; type: string } | undefined;
  /** Whether every part was generated from the schema. */
  valid: boolean;
}

function operations(spec: Spec) {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ["get", "post", "put", "delete", "patch"].includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

function queryString(entries: [string, unknown][]): string {
  const search = new URLSearchParams();
  for (const [name, value] of entries) {
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(name, typeof item === "string" ? item : JSON.stringify(item));
    }
  }
  return search.toString();
}

/** Valid requests for an operation, and requests with one thing wrong. */
function requests(
  spec: Spec,
  method: string,
  path: string,
  operation: Operation,
): fc.Arbitrary<Generated> {
  const parameters = operation.parameters ?? [];
  const pathParams = parameters.filter((p) => p.in === "path");
  const queryParams = parameters.filter((p) => p.in === "query");
  const bodySchema = operation.requestBody?.content["application/json"]?.schema;
  const validParts = fc.record({
    path: fc.tuple(...pathParams.map((p) => valid(p.schema, spec))),
    query: fc.tuple(
      ...queryParams.map((p) =>
        p.required === true
          ? valid(p.schema, spec)
          : fc.option(valid(p.schema, spec), { nil: undefined }),
      ),
    ),
    body: bodySchema === undefined ? fc.constant(undefined) : valid(bodySchema, spec),
  });
  const build = (
    parts: { path: unknown[]; query: unknown[]; body: unknown },
    isValid: boolean,
    mutate?: (g: Generated) => Generated,
  ): Generated => {
    let filled = path;
    pathParams.forEach((p, i) => {
      filled = filled.replace(`{${p.name}}`, encodeURIComponent(String(parts.path[i])));
    });
    const generated: Generated = {
      method,
      path: filled,
      query: queryString(
        queryParams
          .map((p, i): [string, unknown] => [p.name, parts.query[i]])
          .filter(([, v]) => v !== undefined),
      ),
      body: bodySchema === undefined ? undefined : { json: parts.body },
      valid: isValid,
    };
    return mutate === undefined ? generated : { ...mutate(generated), valid: false };
  };
  const mutations: fc.Arbitrary<(g: Generated) => Generated>[] = [
    // A hostile value in place of the body or of one of its fields, or a field missing or extra.
    fc.tuple(hostile, fc.nat()).map(([value, n]) => (g: Generated) => {
      if (g.body === undefined || !("json" in g.body)) return { ...g, body: { json: value } };
      const json = g.body.json;
      if (typeof json !== "object" || json === null || Array.isArray(json))
        return { ...g, body: { json: value } };
      const keys = Object.keys(json);
      const key = keys[n % Math.max(1, keys.length)] ?? "extra_field";
      return { ...g, body: { json: { ...json, [key]: value } } };
    }),
    fc.nat().map((n) => (g: Generated) => {
      if (
        g.body === undefined ||
        !("json" in g.body) ||
        typeof g.body.json !== "object" ||
        g.body.json === null
      )
        return g;
      const keys = Object.keys(g.body.json);
      const drop = keys[n % Math.max(1, keys.length)];
      return {
        ...g,
        body: { json: Object.fromEntries(Object.entries(g.body.json).filter(([k]) => k !== drop)) },
      };
    }),
    fc.constant((g: Generated) =>
      g.body !== undefined &&
      "json" in g.body &&
      typeof g.body.json === "object" &&
      g.body.json !== null
        ? { ...g, body: { json: { ...g.body.json, unexpected_field: 1 } } }
        : g,
    ),
    // Broken JSON, another content type, a huge body.
    fc
      .constantFrom('{"todo":', "{", "[1,2", "nul", '{"a":1}}', "\u0000")
      .map((raw) => (g: Generated) => ({
        ...g,
        body: { raw, type: "application/json" },
      })),
    fc
      .constantFrom("text/plain", "application/x-www-form-urlencoded", "application/xml")
      .map((type) => (g: Generated) => ({ ...g, body: { raw: "todo=x", type } })),
    fc.constant((g: Generated) => ({ ...g, body: { json: { todo: "x".repeat(150_000) } } })),
    // Odd path values, hostile query values, repeated and bracketed keys, unknown parameters.
    oddPathValue.map((value) => (g: Generated) => ({
      ...g,
      path: pathParams.length === 0 ? g.path : path.replace(/\{[^}]+\}/, value),
    })),
    fc.tuple(hostile, fc.nat()).map(([value, n]) => (g: Generated) => {
      const name = queryParams[n % Math.max(1, queryParams.length)]?.name ?? "unknown";
      return { ...g, query: queryString([[name, value]]) };
    }),
    fc.nat().map((n) => (g: Generated) => {
      const name = queryParams[n % Math.max(1, queryParams.length)]?.name ?? "x";
      return { ...g, query: `${name}=1&${name}=2&${name}[]=3&${name}[0]=4&${name}[a]=5` };
    }),
  ];
  return fc.oneof(
    validParts.map((parts) => build(parts, true)),
    fc
      .tuple(validParts, fc.oneof(...mutations))
      .map(([parts, mutate]) => build(parts, false, mutate)),
  );
}

async function send(target: Target, g: Generated): Promise<request.Response> {
  const url = g.query === "" ? g.path : `${g.path}?${g.query}`;
  let req = request(target.app)[g.method as "get"](url);
  if (target.authorization !== undefined) req = req.set("Authorization", target.authorization);
  if (g.body === undefined) return req;
  if ("json" in g.body) {
    // Written out here: supertest sends only objects and strings as JSON itself.
    const text = JSON.stringify(g.body.json) as string | undefined;
    return req.set("Content-Type", "application/json").send(text ?? "null");
  }
  return req.set("Content-Type", g.body.type).send(g.body.raw);
}

/**
 * Refusals of schema-valid requests that are right: a relation between two fields, and a
 * pagination cursor the API never issued (an opaque string to the schema).
 */
const CROSS_FIELD_RULES = [
  /^start_date \S+ is after end_date \S+\.$/,
  /^cursor .* is not one this API returned; omit it to start from the first page\.$/s,
];

/** The invariants every answer keeps. */
function check(res: request.Response, g: Generated, validator: SpecValidator): void {
  const what = `${g.method.toUpperCase()} ${g.path}?${g.query} ${g.body === undefined ? "" : JSON.stringify(g.body).slice(0, 300)} -> ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, what).toBeLessThan(500);
  // An answer with a body is JSON (an empty 200 is what the spec says of some writes).
  if (res.text !== "" || res.status >= 400) {
    expect(String(res.headers["content-type"]), what).toMatch(/^application\/json/);
  }
  if (res.status < 300) {
    validator.expectConforms(res, g.method.toUpperCase(), g.path);
  } else {
    expect(typeof res.body.error, what).toBe("string");
    expect(typeof res.body.message, what).toBe("string");
    // What the spec allows, the server must not refuse as invalid, but for the rules that
    // relate two fields, which JSON Schema cannot state (the descriptions do).
    if (g.valid && !CROSS_FIELD_RULES.some((rule) => rule.test(String(res.body.message)))) {
      expect(res.body.error, what).not.toBe("validation_failed");
    }
  }
}

async function fuzzTarget(target: Target, model?: TodoModel): Promise<void> {
  const served = await request(target.app).get("/openapi.json");
  const spec = served.body as Spec;
  const validator = await SpecValidator.fromYaml(
    (await request(target.app).get("/openapi.yaml")).text,
  );
  for (const { method, path, operation } of operations(spec)) {
    await fc.assert(
      fc.asyncProperty(requests(spec, method, path, operation), async (g) => {
        const res = await send(target, g);
        check(res, g, validator);
        model?.observe(g, res);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }
  if (model !== undefined) await model.agrees(target);
}

/** What the todo lists should hold, from the answers the server gave. */
class TodoModel {
  private readonly lists = new Map<string, string[]>();

  observe(g: Generated, res: request.Response): void {
    const match = /^\/todos\/([^/?]+)$/.exec(g.path);
    if (match?.[1] === undefined || res.status !== 200) return;
    let username: string;
    try {
      username = decodeURIComponent(match[1]);
    } catch {
      return;
    }
    const list = this.lists.get(username) ?? [];
    const body =
      g.body !== undefined && "json" in g.body ? (g.body.json as Record<string, unknown>) : {};
    if (g.method === "post") list.push(String(body["todo"]).trim());
    if (g.method === "delete") list.splice(Number(body["todo_idx"]), 1);
    if (g.method === "get") expect(res.body.todos, `GET ${username}`).toEqual(list);
    this.lists.set(username, list);
  }

  async agrees(target: Target): Promise<void> {
    for (const [username, list] of this.lists) {
      let req = request(target.app).get(`/todos/${encodeURIComponent(username)}`);
      if (target.authorization !== undefined) req = req.set("Authorization", target.authorization);
      expect((await req).body.todos, `the list ${username}`).toEqual(list);
    }
  }
}

const KEY = "k".repeat(40);
const AUTH_TYPES = ["none", "service_http", "user_http", "oauth"] as const;

async function todoPlugin(
  auth: (typeof AUTH_TYPES)[number],
  postgres?: TestPostgres,
): Promise<Target> {
  const env: Record<string, string> = { PLUGIN_AUTH: auth, API_RATE_LIMIT: "0" };
  if (postgres !== undefined) env["DATABASE_URL"] = postgres.url;
  if (auth === "service_http") env["SERVICE_AUTH_KEY"] = KEY;
  if (auth === "oauth") {
    Object.assign(env, {
      OAUTH_CLIENT_ID: "fuzz-client",
      OAUTH_CLIENT_SECRET: "s".repeat(40),
      OAUTH_REDIRECT_URIS: "https://chatgpt.com/aip/g-fuzz/oauth/callback",
    });
  }
  const testApp = createTestApp(env);
  // PostgreSQL is connected in the background: wait for it, as `npm start` does.
  await testApp.database.ready();
  let authorization: string | undefined;
  if (auth === "service_http") authorization = `Bearer ${KEY}`;
  if (auth === "user_http" || auth === "oauth")
    await testApp.accounts.create("fuzzer", "fuzzer-password");
  if (auth === "user_http")
    authorization = `Bearer ${(await testApp.accounts.issueToken("fuzzer")).token}`;
  if (auth === "oauth") {
    const params = {
      response_type: "code",
      client_id: "fuzz-client",
      redirect_uri: "https://chatgpt.com/aip/g-fuzz/oauth/callback",
      state: "s",
    };
    const browser = new OAuthBrowser(testApp, params);
    const code = (await browser.authorize("fuzzer", "fuzzer-password")).get("code") ?? "";
    const token = await browser.token({
      grant_type: "authorization_code",
      code,
      redirect_uri: params.redirect_uri,
      client_id: "fuzz-client",
      client_secret: "s".repeat(40),
    });
    authorization = `Bearer ${token.body.access_token as string}`;
  }
  return {
    app: testApp.app,
    authorization,
    close: async () => {
      expect(testApp.errors(), "no generated request may cause a server error").toEqual([]);
      await testApp.dispose();
      await postgres?.drop();
    },
  };
}

async function retrievalPlugin(auth: "none" | "service_http" | "user_http"): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "fuzz-retrieval-"));
  const env: Record<string, string> = {
    DATABASE_URL: `file:${join(dir, "r.db")}`,
    PLUGIN_AUTH: auth,
    API_RATE_LIMIT: "0",
  };
  if (auth === "service_http") env["SERVICE_AUTH_KEY"] = KEY;
  const app = createRetrievalApp(loadRetrievalConfig(env), {
    logger: createLogger({ level: "silent" }),
  });
  let authorization = auth === "service_http" ? `Bearer ${KEY}` : undefined;
  if (auth === "user_http") {
    const accounts = createAccountService(app.database.auth);
    await accounts.create("fuzzer", "fuzzer-password");
    authorization = `Bearer ${(await accounts.issueToken("fuzzer")).token}`;
  }
  return {
    app: app.app,
    authorization,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const open: Target[] = [];
afterAll(async () => {
  for (const target of open.splice(0)) await target.close();
});

describe("generated requests from the served spec", () => {
  it.each(AUTH_TYPES)(
    "the TODO and stats plugin with PLUGIN_AUTH=%s",
    async (auth) => {
      const target = await todoPlugin(auth);
      try {
        await fuzzTarget(target, new TodoModel());
      } finally {
        await target.close();
      }
    },
    300_000,
  );

  it.skipIf(POSTGRES_URL === null).each(["none", "user_http"] as const)(
    "the TODO and stats plugin on PostgreSQL with PLUGIN_AUTH=%s",
    async (auth) => {
      const target = await todoPlugin(auth, await createTestPostgres());
      try {
        await fuzzTarget(target, new TodoModel());
      } finally {
        await target.close();
      }
    },
    300_000,
  );

  it.each(["none", "service_http", "user_http"] as const)(
    "the retrieval plugin with PLUGIN_AUTH=%s",
    async (auth) => {
      const target = await retrievalPlugin(auth);
      open.push(target);
      await fuzzTarget(target);
    },
    300_000,
  );
});
