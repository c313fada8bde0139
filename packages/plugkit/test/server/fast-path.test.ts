import { readFileSync } from "node:fs";
import { join } from "node:path";
import express, { type Request, type Response, type Router } from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/errors";
import type { Logger } from "../../src/logging/logger";
import { createPluginApp } from "../../src/server/create-plugin-app";
import { chain } from "../../src/server/fast-path";
import { compilePath } from "../../src/server/paths";
import { TEST_MANIFEST, TEST_SPEC } from "../fixtures";

const LOGO = readFileSync(join(__dirname, "..", "..", "templates", "init", "assets", "logo.png"));

/** Log lines, as objects, in the order they were written. */
function capturingLogger(lines: Record<string, unknown>[], bindings = {}): Logger {
  const write =
    (level: string) =>
    (details: object, msg: string): void => {
      lines.push({ level, ...bindings, ...details, msg });
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (more) => capturingLogger(lines, { ...bindings, ...more }),
  };
}

function pluginApp(lines: Record<string, unknown>[] = []) {
  const calls: string[] = [];
  const app = createPluginApp({
    registerRoutes: (router) => {
      router.get("/pets/:name", (req: Request, res: Response) => {
        calls.push(`get ${String(req.params["name"])}`);
        res.json({ name: req.params["name"], query: req.query });
      });
      router.post("/pets/:name/visits", (req: Request, res: Response) => {
        calls.push(`post ${String(req.params["name"])}`);
        res.status(201).json({ body: req.body as unknown });
      });
      router.get("/failing", async () => {
        await Promise.resolve();
        throw new HttpError(409, "Not now.", { code: "conflict" });
      });
      router.get("/crashing", () => {
        throw new Error("internal detail");
      });
      router.get("/silent", (_req, _res, next) => {
        next();
      });
    },
    manifest: TEST_MANIFEST,
    spec: TEST_SPEC,
    logo: LOGO,
    logger: capturingLogger(lines),
    config: { apiRateLimit: { limit: 0, windowSeconds: 60 } },
  });
  return { app, calls };
}

describe("the fast path", () => {
  it("serves an API route with its parameters decoded, as Express would", async () => {
    const { app, calls } = pluginApp();
    const res = await request(app).get("/pets/Rex%20the%20dog?toy=ball").expect(200);
    expect(res.body).toEqual({ name: "Rex the dog", query: { toy: "ball" } });
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    // An API answer is per caller and never cached: no ETag is computed for it.
    expect(res.headers["etag"]).toBeUndefined();
    expect(calls).toEqual(["get Rex the dog"]);
  });

  it("matches paths as Express does: any case, an optional trailing slash", async () => {
    const { app, calls } = pluginApp();
    await request(app).get("/PETS/rex/").expect(200);
    await request(app)
      .post("/pets/rex/visits")
      .send({ at: "noon" })
      .expect(201, { body: { at: "noon" } });
    expect(calls).toEqual(["get rex", "post rex"]);
  });

  it("runs the API's guards first: a wrong content type is a 415, a NUL character a 400", async () => {
    const { app, calls } = pluginApp();
    const wrongType = await request(app)
      .post("/pets/rex/visits")
      .set("Content-Type", "text/plain")
      .send("hello")
      .expect(415);
    expect(wrongType.body).toMatchObject({ error: "unsupported_media_type" });
    await request(app).get("/pets/%00").expect(400);
    expect(calls).toEqual([]);
  });

  it("leaves what it does not take to Express: HEAD, OPTIONS, a malformed escape, 405 and 404", async () => {
    const { app, calls } = pluginApp();
    const head = await request(app).head("/pets/rex").expect(200);
    expect(head.headers["content-type"]).toBe("application/json; charset=utf-8");
    await request(app)
      .options("/pets/rex")
      .set("Origin", "https://chatgpt.com")
      .set("Access-Control-Request-Method", "GET")
      .expect(204);
    const malformed = await request(app).get("/pets/%E0%A4%A").expect(400);
    expect(malformed.body).toMatchObject({ error: "bad_request" });
    const notAllowed = await request(app).delete("/pets/rex").expect(405);
    expect(notAllowed.headers["allow"]).toBe("GET, HEAD");
    await request(app).get("/nothing").expect(404, {
      error: "not_found",
      message: "There is no GET /nothing. The operations are listed in /openapi.yaml.",
    });
    expect(calls).toEqual(["get rex"]);
  });

  it("answers errors, thrown or rejected, with the one error handler, and a route that answers nothing with 404", async () => {
    const lines: Record<string, unknown>[] = [];
    const { app } = pluginApp(lines);
    await request(app).get("/failing").expect(409, { error: "conflict", message: "Not now." });
    const crashed = await request(app).get("/crashing").expect(500);
    expect(JSON.stringify(crashed.body)).not.toContain("internal detail");
    expect(crashed.body.request_id).toBe(crashed.headers["x-request-id"]);
    await request(app).get("/silent").expect(404);
    const failure = lines.find((line) => line["msg"] === "request failed");
    expect(failure).toMatchObject({ request_id: crashed.headers["x-request-id"], status: 500 });
  });

  it("serves the plugin's files and health checks by their exact paths, and the rest by Express", async () => {
    const { app } = pluginApp();
    const manifest = await request(app).get("/.well-known/ai-plugin.json").expect(200);
    expect(manifest.body).toMatchObject({ name_for_model: "pets" });
    await request(app).get("/healthz").expect(200, { status: "ok" });
    // Not the exact path: Express's router matches it as it always has.
    await request(app).get("/HEALTHZ/").expect(200, { status: "ok" });
    const logo = await request(app).get("/logo.png").expect(200);
    expect(logo.headers["content-type"]).toBe("image/png");
  });

  it("gives the plugin's files an ETag, computed once, and answers 304 to a client that has them", async () => {
    const { app } = pluginApp();
    for (const path of ["/.well-known/ai-plugin.json", "/openapi.json", "/logo.png"]) {
      // supertest listens on a new port each time: the origin, and so the files, would differ.
      const get = () => request(app).get(path).set("Host", "localhost:3333");
      const first = await get().expect(200);
      const etag = first.headers["etag"] as string;
      expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
      expect((await get()).headers["etag"]).toBe(etag);
      await get().set("If-None-Match", etag).expect(304);
      // Another origin's manifest and spec differ, and so does their ETag.
      const other = await request(app).get(path).set("Host", "plugin.example.com");
      if (path !== "/logo.png") expect(other.headers["etag"]).not.toBe(etag);
    }
  });

  it("logs one line per request with its id, and works mounted in another app", async () => {
    const lines: Record<string, unknown>[] = [];
    const { app } = pluginApp(lines);
    const outer = express();
    outer.use("/plugin", app);
    const res = await request(outer).get("/plugin/pets/rex").expect(200);
    expect(res.body).toMatchObject({ name: "rex" });
    await request(outer).get("/plugin/failing").expect(409);
    expect(lines.filter((line) => line["msg"] === "request")).toEqual([
      expect.objectContaining({
        request_id: res.headers["x-request-id"],
        method: "GET",
        path: "/plugin/pets/rex",
        status: 200,
      }),
      expect.objectContaining({ method: "GET", path: "/plugin/failing", status: 409 }),
    ]);
  });
});

describe("the fast path leaves to Express what only Express serves as registered", () => {
  const app = (registerRoutes: (router: Router) => void, lines: Record<string, unknown>[] = []) =>
    createPluginApp({
      registerRoutes,
      manifest: TEST_MANIFEST,
      spec: TEST_SPEC,
      logo: LOGO,
      logger: capturingLogger(lines),
      config: { apiRateLimit: { limit: 0, windowSeconds: 60 } },
    });
  const refuse =
    (status: number) =>
    (_req: Request, res: Response): void => {
      res.status(status).json({ error: "refused", message: "Refused." });
    };
  const answer =
    (body: object) =>
    (_req: Request, res: Response): void => {
      res.json(body);
    };

  it("keeps guards registered with use, param, route or all in front of later routes", async () => {
    const guarded = app((router) => {
      router.use("/admin", refuse(403));
      router.get("/admin/users", answer({ users: ["root"] }));
    });
    await request(guarded).get("/admin/users").expect(403);
    const byParam = app((router) => {
      router.get("/docs/:id", answer({ secret: true }));
      router.param("id", refuse(403));
    });
    await request(byParam).get("/docs/1").expect(403);
    const allFirst = app((router) => {
      router.all("/all-first", refuse(401));
      router.get("/all-first", answer({ secret: true }));
    });
    await request(allFirst).get("/all-first").expect(401);
    const routed = app((router) => {
      router.route("/routed/:x").all(refuse(401));
      router.get("/routed/:x", answer({ secret: true }));
    });
    await request(routed).get("/routed/1").expect(401);
    // A route with syntax beyond :name keeps its place in the order too.
    const regexFirst = app((router) => {
      router.get(/^\/rx\/\d+$/, answer({ first: true }));
      router.get("/rx/:n", answer({ second: true }));
    });
    await request(regexFirst).get("/rx/5").expect(200, { first: true });
  });

  it("never lets an API route with parameters take the MCP endpoint or the plugin's files", async () => {
    const greedy = app((router) => {
      router.post("/:single", answer({ greedy: true }));
      router.get("/:a", answer({ greedy: true }));
    });
    const mcp = await request(greedy)
      .post("/mcp")
      .set("Accept", "application/json, text/event-stream")
      .send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(mcp.body).not.toEqual({ greedy: true });
    expect(mcp.body).toMatchObject({ jsonrpc: "2.0", id: 1 });
    const logo = await request(greedy).get("/Logo.png").expect(200);
    expect(logo.headers["content-type"]).toBe("image/png");
    await request(greedy).get("/something").expect(200, { greedy: true });
  });

  it("runs the next matching route on next() or next('route'), and the 404 on next('router')", async () => {
    const passing = app((router) => {
      router.get("/dup", (_req, _res, next) => {
        next();
      });
      router.get("/dup", answer({ second: true }));
      router.get("/skip/:n", (_req, _res, next) => {
        next("route");
      });
      router.get("/skip/:n", (req: Request, res: Response) => {
        res.json({ route: (req.route as { path: string }).path });
      });
      router.get("/leave", (_req, _res, next) => {
        next("router");
      });
    });
    await request(passing).get("/dup").expect(200, { second: true });
    await request(passing).get("/skip/1").expect(200, { route: "/skip/:n" });
    await request(passing).get("/leave").expect(404);
  });

  it("answers a handler's rejected thenable with the error handler's 500", async () => {
    const lines: Record<string, unknown>[] = [];
    const thenable = app((router) => {
      router.get("/thenable", () => ({
        then: (_ok: unknown, fail: (error: unknown) => void) => {
          fail(new Error("internal detail"));
        },
      }));
    }, lines);
    const res = await request(thenable).get("/thenable").expect(500);
    expect(res.body).toMatchObject({ error: "internal_error" });
  });
});

describe("chain", () => {
  const run = (handlers: Parameters<typeof chain>[0]) =>
    new Promise<unknown>((resolve) => {
      chain(handlers)({} as Request, {} as Response, (err?: unknown) => {
        resolve(err ?? "done");
      });
    });

  it("runs handlers in order and then passes on", async () => {
    const order: number[] = [];
    const step =
      (n: number) =>
      (_req: unknown, _res: unknown, next: () => void): void => {
        order.push(n);
        next();
      };
    await expect(run([step(1), step(2), step(3)])).resolves.toBe("done");
    expect(order).toEqual([1, 2, 3]);
  });

  it("skips the rest on an error passed, thrown or rejected", async () => {
    const never = () => {
      throw new Error("must not run");
    };
    const passed = new Error("passed");
    await expect(
      run([
        (_q, _s, next) => {
          next(passed);
        },
        never,
      ]),
    ).resolves.toBe(passed);
    const thrown = new Error("thrown");
    await expect(
      run([
        () => {
          throw thrown;
        },
        never,
      ]),
    ).resolves.toBe(thrown);
    const rejected = new Error("rejected");
    await expect(run([async () => Promise.reject(rejected), never])).resolves.toBe(rejected);
  });
});

describe("compilePath", () => {
  it("matches like Express: parameters are one non-empty segment, any case, optional trailing slash", () => {
    const pattern = compilePath("/todos/:username");
    expect(pattern?.keys).toEqual(["username"]);
    expect(pattern?.regex.exec("/TODOS/ann/")?.[1]).toBe("ann");
    expect(pattern?.regex.test("/todos/")).toBe(false);
    expect(pattern?.regex.test("/todos/a/b")).toBe(false);
    expect(compilePath("/a.b/c")?.regex.test("/aXb/c")).toBe(false);
  });

  it("refuses syntax beyond literal segments and :name", () => {
    for (const path of ["/files/*rest", "/a{/:b}", "/a/:b?", "/(x)"]) {
      expect(compilePath(path)).toBeUndefined();
    }
  });
});
