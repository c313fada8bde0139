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
 * promise (or thenable) a handler returns goes to `next(err)` and skips the rest, as does
 * `next("route")` or `next("router")`, passed on as they are; after the last, `next()`.
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
        const result = handler(req, res, step);
        if (isThenable(result)) {
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

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * What was registered on the API router, in order: a route (method, Express path, handlers and
 * Express's own Route object), or anything else (`use`, `param`, `route`, a RegExp or array
 * path), which only Express can serve as registered.
 */
export type Registration =
  | { kind: "route"; method: string; path: string; handlers: RequestHandler[]; route: unknown }
  | { kind: "other"; what: string };

/** A route of {@link Registration}. */
export type RecordedRoute = Extract<Registration, { kind: "route" }>;

/** What {@link createFastPath} serves. */
export interface FastPathOptions {
  /** Handlers for exact `GET` paths: the plugin's files and health checks. */
  files: ReadonlyMap<string, RequestHandler>;
  /** What was registered on the API router, in order (the first match wins, as in Express). */
  registrations: readonly Registration[];
  /** Routes the fast path leaves to Express even though they are simple (the OAuth endpoints). */
  leaveToExpress: (route: RecordedRoute) => boolean;
  /**
   * Paths served by what Express runs before the API router (the files by any case or with a
   * trailing slash, the MCP endpoint, the OAuth endpoints' body parsers): a request for one of
   * them is left to Express, whatever API route would match it too.
   */
  servedBefore: readonly string[];
  /** What runs before every API route's own handlers (rate limit, body parsing, guards). */
  prelude: readonly RequestHandler[];
  /** Answers a request whose matching routes all passed it on without answering (405, 404). */
  unanswered: RequestHandler;
}

/** A registration as the fast path matches it. */
interface Entry {
  /** Upper case; "ALL" for every method. */
  method: string;
  /** Undefined: cannot be matched here (a barrier: this and everything after is Express's). */
  pattern: PathPattern | undefined;
  /** The route's handlers, one step; undefined when Express must serve it. */
  run: RequestHandler | undefined;
  route: unknown;
}

const FAST_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/**
 * The plugin's hot paths, served in one step instead of a walk through Express's router stack:
 * a `GET` of one of `files` by its exact path, and API routes matched by method and path
 * against patterns compiled once (case-insensitive, optional trailing slash, parameters
 * URI-decoded: Express's own rules). The prelude runs once, then each matching route's
 * handlers in registration order, as Express runs them (`next()` and `next("route")` go on to
 * the next matching route, `next("router")` and the end of them to `unanswered`), and errors go
 * on to the app's error handler.
 *
 * A request is left to the full Express stack, which serves it as before, when anything that
 * matches it is beyond this: HEAD and OPTIONS, a path Express would refuse to decode, a path
 * served before the API (`servedBefore`), a route left to Express or with path syntax beyond
 * `:name`, or anything registered with `use`, `param` or `route` or a RegExp path (from there
 * on, every request is Express's: such middleware may guard any later route).
 */
export function createFastPath(options: FastPathOptions): RequestHandler {
  const { unanswered } = options;
  const files = new Map([...options.files].map(([path, file]) => [path, chain([file])]));
  const prelude = chain(options.prelude);
  const servedBefore = options.servedBefore.flatMap((path) => compilePath(path)?.regex ?? []);
  const entries: Entry[] = [];
  const barrier: Entry = { method: "ALL", pattern: undefined, run: undefined, route: undefined };
  // A param callback applies to every route with that parameter, earlier ones too.
  const hasParam = options.registrations.some((r) => r.kind === "other" && r.what === "param");
  if (hasParam) entries.push(barrier);
  for (const registration of hasParam ? [] : options.registrations) {
    if (registration.kind === "other") {
      // use, route, a RegExp path: may apply to anything after it; stop here.
      entries.push(barrier);
      break;
    }
    const method = registration.method.toUpperCase();
    const pattern = compilePath(registration.path);
    if (pattern === undefined) {
      entries.push(barrier);
      break;
    }
    const fast = FAST_METHODS.has(method) && !options.leaveToExpress(registration);
    entries.push({
      method,
      pattern,
      run: fast ? chain(registration.handlers) : undefined,
      route: registration.route,
    });
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
    if (!FAST_METHODS.has(req.method) || servedBefore.some((regex) => regex.test(path))) {
      next();
      return;
    }
    // Every route that matches, in order; any that only Express can serve makes it Express's.
    const matches: { entry: Entry; params: Record<string, string> }[] = [];
    for (const entry of entries) {
      if (entry.pattern === undefined) {
        next();
        return;
      }
      if (entry.method !== "ALL" && entry.method !== req.method) continue;
      const match = entry.pattern.regex.exec(path);
      if (match === null) continue;
      const params = decodeParams(entry.pattern.keys, match);
      if (params === undefined || entry.run === undefined) {
        next();
        return;
      }
      matches.push({ entry, params });
    }
    if (matches.length === 0) {
      next();
      return;
    }
    const expressReq = req as Request & { params: Record<string, string>; route: unknown };
    let index = 0;
    const nextRoute = (err?: unknown): void => {
      if (err === "router") {
        unanswered(req, res, next);
        return;
      }
      if (err !== undefined && err !== null && err !== "route") {
        next(err);
        return;
      }
      const current = matches[index++];
      if (current === undefined || current.entry.run === undefined) {
        unanswered(req, res, next);
        return;
      }
      expressReq.params = current.params;
      expressReq.route = current.entry.route;
      current.entry.run(req, res, nextRoute);
    };
    prelude(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) next(err);
      else nextRoute();
    });
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
const OTHER_REGISTRATIONS = new Set(["use", "param", "route"]);

/**
 * A view of a router that records what is registered through it, in order, with the handlers,
 * so plugkit can tell which endpoints the generated routes serve (and serve them on its fast
 * path) without reading Express's internals.
 */
export function recordRoutes(router: Router): { router: Router; registrations: Registration[] } {
  const registrations: Registration[] = [];
  const recording = new Proxy(router, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || typeof value !== "function") return value;
      if (OTHER_REGISTRATIONS.has(property)) {
        return (...args: unknown[]) => {
          registrations.push({ kind: "other", what: property });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (!ROUTE_METHODS.has(property)) return value;
      return (path: unknown, ...handlers: unknown[]) => {
        if (typeof path !== "string") {
          registrations.push({ kind: "other", what: `${property} with a non-string path` });
          return (value as (...a: unknown[]) => unknown).call(target, path, ...handlers);
        }
        // What router[method](path, ...) does, keeping the Route object for req.route.
        const route = target.route(path) as unknown as Record<string, (...a: unknown[]) => void>;
        route[property]?.(...handlers);
        registrations.push({
          kind: "route",
          method: property,
          path,
          handlers: handlers
            .flat(Infinity)
            .filter((handler): handler is RequestHandler => typeof handler === "function"),
          route,
        });
        return receiver as Router;
      };
    },
  });
  return { router: recording, registrations };
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
