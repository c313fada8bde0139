import type { IncomingMessage, ServerResponse } from "node:http";
import {
  Router,
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from "express";
import { compilePath, type PathPattern } from "./paths";

/**
 * Runs Express handlers in order as one handler, as `app.use(a, b, c)` would, without a router
 * layer (and its path matching) per handler. An error passed to `next`, thrown, or a rejected
 * promise a handler returns goes to `next(err)` and skips the rest; after the last, `next()`.
 */
export function chain(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null) {
        next(err);
        return;
      }
      const handler = handlers[index++];
      if (handler === undefined) {
        next();
        return;
      }
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) {
          result.then(undefined, (error: unknown) => {
            step(error ?? new Error("Rejected promise"));
          });
        }
      } catch (error) {
        step(error);
      }
    };
    step();
  };
}

/** An API route as registered on the router: method, Express path and handlers. */
export interface RecordedRoute {
  method: string;
  path: string;
  handlers: RequestHandler[];
}

/** What {@link createFastPath} serves. */
export interface FastPathOptions {
  /** Handlers for exact `GET` paths: the plugin's files and health checks. */
  files: ReadonlyMap<string, RequestHandler>;
  /** The API routes, in the order they were registered (the first match wins, as in Express). */
  routes: readonly RecordedRoute[];
  /** What runs before every API route's own handlers (rate limit, body parsing, guards). */
  prelude: readonly RequestHandler[];
  /** Answers a matched route whose handlers all passed the request on without answering. */
  unanswered: RequestHandler;
}

interface CompiledRoute extends PathPattern {
  run: RequestHandler;
}

const FAST_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/**
 * The plugin's hot paths, served in one step instead of a walk through Express's router stack:
 * a `GET` of one of `files` by its exact path, and an API route matched by method and path
 * against patterns compiled once (case-insensitive, optional trailing slash, parameters
 * URI-decoded: Express's own rules). The same handlers run as Express would run, in the same
 * order, and errors go on to the app's error handler. Anything else (HEAD, OPTIONS, a path
 * Express's router would refuse to decode, a route with a path syntax beyond `:name`) goes on
 * to the full Express stack, which serves it as before.
 */
export function createFastPath(options: FastPathOptions): RequestHandler {
  const { unanswered } = options;
  const files = new Map([...options.files].map(([path, file]) => [path, chain([file])]));
  const byMethod = new Map<string, CompiledRoute[]>();
  for (const route of options.routes) {
    const method = route.method.toUpperCase();
    const pattern = compilePath(route.path);
    if (!FAST_METHODS.has(method) || pattern === undefined) continue;
    const compiled = byMethod.get(method) ?? [];
    compiled.push({ ...pattern, run: chain([...options.prelude, ...route.handlers]) });
    byMethod.set(method, compiled);
  }
  return (req, res, next) => {
    const path = req.path;
    if (req.method === "GET") {
      const file = files.get(path);
      if (file !== undefined) {
        file(req, res, next);
        return;
      }
    }
    const routes = byMethod.get(req.method);
    if (routes === undefined) {
      next();
      return;
    }
    for (const route of routes) {
      const match = route.regex.exec(path);
      if (match === null) continue;
      const params = decodeParams(route.keys, match);
      if (params === undefined) break;
      (req as Request & { params: Record<string, string> }).params = params;
      route.run(req, res, (err?: unknown) => {
        if (err !== undefined && err !== null) next(err);
        else unanswered(req, res, next);
      });
      return;
    }
    next();
  };
}

/** The parameters, URI-decoded; undefined when one is not valid percent-encoding. */
function decodeParams(
  keys: readonly string[],
  match: RegExpExecArray,
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const raw = match[i + 1] ?? "";
    if (!raw.includes("%")) {
      params[key] = raw;
      continue;
    }
    try {
      params[key] = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return params;
}

const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "all"]);

/**
 * A view of a router that records the routes registered through it, with their handlers, so
 * plugkit can tell which endpoints the generated routes serve (and serve them on its fast path)
 * without reading Express's internals.
 */
export function recordRoutes(router: Router): { router: Router; routes: RecordedRoute[] } {
  const routes: RecordedRoute[] = [];
  const recording = new Proxy(router, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (
        typeof property !== "string" ||
        !ROUTE_METHODS.has(property) ||
        typeof value !== "function"
      ) {
        return value;
      }
      return (path: unknown, ...handlers: unknown[]) => {
        if (typeof path === "string") {
          routes.push({
            method: property,
            path,
            handlers: handlers
              .flat(Infinity)
              .filter((handler): handler is RequestHandler => typeof handler === "function"),
          });
        }
        return (value as (...args: unknown[]) => unknown).call(target, path, ...handlers);
      };
    },
  });
  return { router: recording, routes };
}

/** An Express router serving each handler at its path with `GET` (and so `HEAD`). */
export function routerOf(handlers: ReadonlyMap<string, RequestHandler>): Router {
  const router = Router();
  for (const [path, handler] of handlers) router.get(path, handler);
  return router;
}

type Handle = (
  req: IncomingMessage,
  res: ServerResponse,
  callback?: (err?: unknown) => void,
) => void;

/** What {@link serveInFront} runs before Express's router. */
export interface InFrontOptions {
  /** Runs for every request first (request id, log, headers, CORS). */
  front: RequestHandler;
  /** The fast path: answers, or calls `next()` to leave the request to Express's router. */
  fast: RequestHandler;
  /** Answers an error either of them passes on. */
  errorHandler: ErrorRequestHandler;
}

/**
 * Runs `front` and `fast` for every request the app gets (from `app.listen`, a server it is
 * passed to, or an app it is mounted in) before Express's router, which then sees only what
 * the fast path left: a request the fast path answers never pays for the router's walk
 * through its layers. Express's own preparation of the request (its `req`/`res` methods,
 * `res.locals`) is done first, as Express does it.
 */
export function serveInFront(app: Express, options: InFrontOptions): void {
  const { front, fast, errorHandler } = options;
  const withHandle = app as unknown as { handle: Handle };
  const byExpress = withHandle.handle.bind(app);
  withHandle.handle = (incoming, outgoing, callback) => {
    const req = incoming as Request;
    const res = outgoing as Response;
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    (res as { locals: Response["locals"] | undefined }).locals ??= Object.create(
      null,
    ) as Response["locals"];
    (req as { originalUrl: string | undefined }).originalUrl ??= req.url;
    (req as { baseUrl: string | undefined }).baseUrl ??= "";
    const failed = (err: unknown): void => {
      errorHandler(err, req, res, (unhandled?: unknown) => {
        // The error handler passes on only what it cannot answer (the response has started):
        // the connection is closed, as Express's final handler would.
        if (callback !== undefined) callback(unhandled);
        else res.destroy();
      });
    };
    front(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) {
        failed(err);
        return;
      }
      fast(req, res, (fastErr?: unknown) => {
        if (fastErr !== undefined && fastErr !== null) failed(fastErr);
        else byExpress(req, res, callback);
      });
    });
  };
}
