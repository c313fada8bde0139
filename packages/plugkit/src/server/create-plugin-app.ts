import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import express, { type Express, type Request, type RequestHandler, type Router } from "express";
import { applyAuthToManifest, applyAuthToSpec } from "../auth/apply-auth";
import { authFromConfig } from "../auth/auth-from-config";
import { setPluginAuth } from "../auth/authentication";
import type { Clock } from "../auth/clock";
import type { PluginAuth } from "../auth/plugin-auth";
import type { PluginConfig } from "../config/plugin-config";
import { ConfigError, HttpError } from "../errors";
import { MANIFEST_LIMITS, characterCount } from "../manifest/manifest-limits";
import type { GeneratedManifest } from "../manifest/manifest-types";
import type { OpenApiDocument } from "../spec/openapi-types";
import type { PluginDatabase } from "../store/plugin-database";
import { CHATGPT_ORIGINS, createCors, parseCorsOrigins } from "./cors";
import { createErrorHandler, methodNotAllowedHandler, notFoundHandler } from "./error-handler";
import { FIXED_GET_PATHS } from "./paths";
import { createLogger, type Logger } from "../logging/logger";
import { logOf, requestLogging } from "../logging/request-logging";
import { jsonBody, refuseUnstorableText } from "./json-body";
import { loadGeneratedFiles } from "./load-generated";
import { OAUTH_BODY_PATHS, checkOAuthRoutes, oauthBodies } from "../auth/oauth/oauth-routes";
import {
  chain,
  createFastPath,
  recordRoutes,
  routerOf,
  serveInFront,
  type RecordedRoute,
} from "./fast-path";
import { parsePublicUrl, resolvePublicOrigin, type PublicOriginOptions } from "./public-origin";
import { parsePluginQuery } from "./query-parser";
import { requestId, requestIdOf } from "./request-id";
import { setServices } from "./services";
import { wellKnownHandlers } from "./well-known";
import { healthHandlers } from "./health";
import { systemClock } from "../auth/clock";
import { addressKey } from "../auth/oauth/sign-in-throttle";
import {
  VerifiedCredentials,
  apiRateLimit,
  memoryRateCounter,
  redisRateCounter,
  type ApiRateLimitConfig,
} from "../limits/api-rate-limit";
import { createRedisClient } from "../limits/redis-connection";
import { redisThrottleStore } from "../limits/redis-throttle-store";
import { clientAddress } from "./public-origin";
import { setPluginRuntime, type PluginRuntime } from "./plugin-runtime";
import { DEFAULT_MCP_PATH, createMcpRouter } from "../mcp/mcp-endpoint";
import { toActionsSpec } from "../spec/actions-spec";
import { viaResourceOf } from "./dispatch";

/** Options for {@link createPluginApp}. */
export interface PluginAppOptions<Services = unknown> {
  /** Registers the API routes: the generated `RegisterRoutes` (`generated/routes.ts`). */
  registerRoutes: (router: Router) => void;
  /**
   * A directory of the plugin's project (`__dirname` will do, from `src/` or `dist/src/`): the
   * closest one that holds `generated/ai-plugin.json` is the project, whose
   * `generated/ai-plugin.json`, `generated/openapi.json` and `assets/logo.png` are served,
   * unless given below.
   */
  root?: string;
  /** The generated manifest, instead of reading `generated/ai-plugin.json`. */
  manifest?: GeneratedManifest;
  /** The generated OpenAPI document, instead of reading `generated/openapi.json`. */
  spec?: OpenApiDocument;
  /** The logo's PNG bytes, instead of reading `assets/logo.png`; served at `/logo.png`. */
  logo?: Buffer;
  /**
   * The environment's settings, from `loadPluginConfig()`: the auth type (`PLUGIN_AUTH`), the
   * public origin, CORS and proxy settings. @default the defaults of an empty environment
   */
  config?: Partial<
    Pick<
      PluginConfig,
      | "auth"
      | "publicUrl"
      | "corsOrigins"
      | "trustedProxyHops"
      | "logLevel"
      | "redis"
      | "apiRateLimit"
      | "mcpEnabled"
    >
  >;
  /** The database whose accounts and tokens `user_http` and `oauth` use. */
  database?: PluginDatabase;
  /**
   * A ready auth type, instead of the one `config.auth` describes (`noAuth()`,
   * `serviceHttpAuth()`, `userHttpAuth()`, `oauthAuth()`). It is checked on
   * `@Security("plugin")` operations and decides the served manifest's `auth` and
   * `api.is_user_authenticated` and the served spec's security.
   */
  auth?: PluginAuth;
  /** Handed to every controller's constructor. */
  services?: Services;
  /** Appended to the served spec's description when the auth identifies accounts. */
  accountNote?: string;
  /** What the user grants, shown on the OAuth sign-in page. @default "ChatGPT is asking to use <name_for_human> on your behalf." */
  consentText?: string;
  /** `oauth`: the scopes a client may ask for, with what each allows. @default {} */
  oauthScopes?: Readonly<Record<string, string>>;
  /** Largest accepted request body. @default "100kb" */
  bodyLimit?: string | number;
  /**
   * Largest JSON response, in characters: the platform drops longer ones, so a larger response
   * is logged and answered with a 500 `response_too_large` instead. @default 100000
   */
  maxResponseChars?: number;
  /**
   * Served in place of the build's manifest descriptions, e.g. to say which data source is
   * active; checked against the platform's limits here.
   */
  descriptions?: { forModel?: string | undefined; forHuman?: string | undefined };
  /**
   * Where the app logs: a line per request and every server error, each with its request id.
   * @default createLogger(): JSON lines on standard output at level info
   */
  logger?: Logger;
  /** The clock that decides when API tokens are touched and OAuth codes and tokens expire. */
  clock?: Clock;
  /**
   * The MCP server: every operation as a tool at `path`, or `false` for none. On by default;
   * `config.mcpEnabled` (`MCP_ENABLED=false`) turns it off too.
   * @default { path: "/mcp" }
   */
  mcp?: false | { path?: string };
}

const DEFAULT_API_RATE_LIMIT: ApiRateLimitConfig = { limit: 600, windowSeconds: 60 };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Builds the Express app that serves a plugin: CORS for ChatGPT, the manifest, spec and logo
 * with the public origin filled in, the auth type's own endpoints, the API routes, and JSON
 * errors for everything that goes wrong. It does not listen; call `app.listen(port)` or
 * `runPluginServer`. Options are checked here, so a bad option fails at startup, not on the
 * first request.
 *
 * @example
 * const config = loadPluginConfig();
 * const database = openPluginDatabase(config.database);
 * const app = createPluginApp({ root: PROJECT_ROOT, registerRoutes: RegisterRoutes, config, database });
 */
export function createPluginApp<Services>(options: PluginAppOptions<Services>): Express {
  const {
    registerRoutes,
    root,
    config = {},
    database,
    services,
    accountNote,
    consentText,
    oauthScopes,
    bodyLimit = "100kb",
    maxResponseChars = 100_000,
    descriptions = {},
    logger = createLogger({ level: config.logLevel ?? "info" }),
    clock,
  } = options;
  const generated =
    options.manifest !== undefined && options.spec !== undefined
      ? { manifest: options.manifest, spec: options.spec }
      : loadGeneratedFiles(join(requireRoot(root, "manifest and spec"), "generated"));
  const { manifest, spec } = {
    manifest: options.manifest ?? generated.manifest,
    spec: options.spec ?? generated.spec,
  };
  const logo = options.logo ?? readLogo(join(requireRoot(root, "logo"), "assets", "logo.png"));
  const publicUrl = config.publicUrl === undefined ? undefined : parsePublicUrl(config.publicUrl);
  const trustedProxyHops = config.trustedProxyHops ?? 0;
  const origins = parseCorsOrigins(config.corsOrigins ?? CHATGPT_ORIGINS);
  const mcpPath =
    options.mcp === false || config.mcpEnabled === false
      ? undefined
      : (options.mcp?.path ?? DEFAULT_MCP_PATH);
  if (mcpPath !== undefined && !/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(mcpPath)) {
    throw new ConfigError(`mcp.path: ${JSON.stringify(mcpPath)} must be a path like /mcp`);
  }
  const runtime: PluginRuntime = {
    logger,
    draining: false,
    readiness: [],
    startup: [],
    credentials: new VerifiedCredentials(),
    closers: [],
  };
  if (database !== undefined) {
    runtime.readiness.push({ name: "database", check: () => database.ping() });
    runtime.startup.push(database.ready());
  }
  // With REDIS_URL, the counters that must hold across instances live in Redis.
  const redis = config.redis === undefined ? undefined : createRedisClient(config.redis, logger);
  if (redis !== undefined && config.redis !== undefined) {
    runtime.readiness.push({
      name: "redis",
      check: async () => {
        await redis.ping();
      },
    });
    runtime.closers.push(async () => {
      await redis.quit().catch(() => {
        redis.disconnect();
      });
    });
  }
  const auth =
    options.auth ??
    authFromConfig(config.auth ?? { type: "none" }, {
      store: database?.auth,
      pluginName: manifest.name_for_human,
      consentText,
      oauthScopes,
      ...(mcpPath === undefined ? {} : { resourcePaths: [mcpPath] }),
      publicUrl,
      trustedProxyHops,
      clock,
      throttles:
        redis === undefined || config.redis === undefined
          ? undefined
          : redisThrottleStore(redis, config.redis.keyPrefix),
    });

  const manifestText: Record<string, string> = {};
  for (const [field, value] of [
    ["description_for_model", descriptions.forModel],
    ["description_for_human", descriptions.forHuman],
  ] as const) {
    if (value === undefined) continue;
    if (value.trim() === "" || characterCount(value) > MANIFEST_LIMITS[field]) {
      throw new ConfigError(
        `descriptions: ${field} must be 1-${MANIFEST_LIMITS[field]} characters (got ${characterCount(value)})`,
      );
    }
    manifestText[field] = value;
  }
  if (!logo.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new ConfigError("logo: the logo must be a PNG file");
  }
  if (!Array.isArray(spec.servers) || typeof spec.paths !== "object") {
    throw new ConfigError("spec: not an OpenAPI document; pass the parsed generated/openapi.json");
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", parsePluginQuery);
  setPluginRuntime(app, runtime);
  setServices(app.locals, services);
  setPluginAuth(app.locals, auth);

  // What every request goes through first, as one handler.
  const front = chain([
    requestId,
    requestLogging(logger),
    (_req, res, next) => {
      // Shutting down: each connection closes after its response, so none is left idle.
      if (runtime.draining) res.set("Connection", "close");
      next();
    },
    (req, res, next) => {
      res.setHeader("X-Content-Type-Options", "nosniff");
      // Over https, browsers should never fall back to plain http (the sign-in page's cookies).
      if (httpsOrigin(req, { publicUrl, trustedProxyHops })) {
        res.set("Strict-Transport-Security", "max-age=31536000");
      }
      next();
    },
    createCors(origins),
  ]);
  // The plugin's files and health checks, by path.
  const files = new Map([
    ...healthHandlers(runtime),
    ...wellKnownHandlers({
      manifest: { ...applyAuthToManifest(manifest, auth), ...manifestText },
      spec: once(() => applyAuthToSpec(spec, auth, accountNote)),
      actionsSpec: once(() => applyAuthToSpec(toActionsSpec(spec), auth, accountNote)),
      logo,
      publicUrl,
      trustedProxyHops,
    }),
  ]);
  const rateLimit = config.apiRateLimit ?? DEFAULT_API_RATE_LIMIT;
  const windowMs = rateLimit.windowSeconds * 1000;
  const rateLimited =
    rateLimit.limit > 0
      ? apiRateLimit({
          config: rateLimit,
          counter:
            redis === undefined || config.redis === undefined
              ? memoryRateCounter(windowMs)
              : redisRateCounter(redis, config.redis.keyPrefix, windowMs),
          callerOf: (req) =>
            runtime.credentials.callerKey(req, addressKey(clientAddress(req, trustedProxyHops))),
          now: () => (clock ?? systemClock).now(),
          logger,
        })
      : undefined;

  // What runs before every API route's handlers. The OAuth endpoints have limits of their own,
  // per address and per account; a tool call dispatched from the MCP endpoint was counted
  // there, as one request.
  const prelude: RequestHandler[] = [
    (req, res, next) => {
      if (
        rateLimited === undefined ||
        req.path.startsWith("/oauth/") ||
        viaResourceOf(req) !== undefined
      ) {
        next();
      } else {
        rateLimited(req, res, next);
      }
    },
    ...jsonBody(bodyLimit),
    refuseUnstorableText,
    limitResponseSize(maxResponseChars),
  ];
  const api = express.Router();
  api.use(chain(prelude));
  const recorded = recordRoutes(api);
  registerRoutes(recorded.router);
  const recordedRoutes = recorded.registrations.filter(
    (registration): registration is RecordedRoute => registration.kind === "route",
  );
  const routes = new Set(recordedRoutes.map((route) => `${route.method} ${route.path}`));
  if (auth.oauth !== undefined) checkOAuthRoutes(routes);

  app.use(routerOf(files));
  if (mcpPath !== undefined) {
    // Each MCP request counts once against the API rate limit, whatever it asks.
    if (rateLimited !== undefined) app.post(mcpPath, rateLimited);
    app.use(
      createMcpRouter({
        app: () => app,
        spec,
        auth,
        path: mcpPath,
        server: {
          name: manifest.name_for_model,
          title: manifest.name_for_human,
          version: spec.info.version,
          instructions: manifestText["description_for_model"] ?? manifest.description_for_model,
        },
        bodyLimit,
        logger,
      }),
    );
  }
  if (auth.oauth !== undefined) app.use(oauthBodies());
  app.use(api);

  const methodNotAllowed = methodNotAllowedHandler([
    ...recordedRoutes,
    ...FIXED_GET_PATHS.map((path) => ({ method: "get", path })),
  ]);
  app.use(methodNotAllowed);
  app.use(notFoundHandler);
  const errorHandler = createErrorHandler(logger);
  app.use(errorHandler);
  // Every request goes through `front` first; the hot paths are answered in one step, and
  // whatever the fast path does not take goes through the Express stack above, which serves
  // everything (HEAD, OPTIONS, the MCP and OAuth endpoints, 405s and 404s).
  serveInFront(app, {
    front,
    fast: createFastPath({
      files,
      registrations: recorded.registrations,
      // The OAuth endpoints have body parsers of their own, registered before the API.
      leaveToExpress: (route) =>
        route.path.toLowerCase().startsWith("/oauth/") ||
        route.path.toLowerCase().startsWith("/.well-known/"),
      servedBefore: [
        ...files.keys(),
        ...(mcpPath === undefined ? [] : [mcpPath]),
        ...(auth.oauth === undefined ? [] : OAUTH_BODY_PATHS),
      ],
      prelude,
      unanswered: (req, res, next) => {
        methodNotAllowed(req, res, () => {
          notFoundHandler(req, res, next);
        });
      },
    }),
    errorHandler,
  });
  // Connected last: an option refused above leaves nothing open. Failures are logged, and
  // retried, by the client.
  redis?.connect().catch(() => undefined);
  return app;
}

/** `make`, called once, on first use. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

function httpsOrigin(req: Request, options: PublicOriginOptions): boolean {
  try {
    return resolvePublicOrigin(req, options).startsWith("https:");
  } catch {
    return false;
  }
}

function requireRoot(root: string | undefined, what: string): string {
  if (root === undefined) {
    throw new ConfigError(
      `createPluginApp: pass root (a directory of the project) or the ${what} themselves`,
    );
  }
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "generated", "ai-plugin.json"))) return dir;
    if (dirname(dir) === dir) {
      throw new ConfigError(
        `${root}: no generated/ai-plugin.json here or above: run \`plugkit build\` (npm run build) to generate the plugin's files`,
      );
    }
  }
}

function readLogo(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new ConfigError(`${path} is missing: the plugin's logo (a PNG) is served from there`);
  }
}

/**
 * Sends JSON answers without an ETag, and refuses (and logs) those longer than the platform
 * accepts.
 */
function limitResponseSize(maxChars: number): RequestHandler {
  return (req, res, next) => {
    res.json = (body: unknown) => {
      const text = (JSON.stringify(body) as string | undefined) ?? "";
      if (text.length <= maxChars) {
        // Written directly: Express's res.send would also hash the body for an ETag, which an
        // API answer (per caller, never cached) has no use for.
        res.setHeader("Content-Type", "application/json; charset=utf-8");
        res.setHeader("Content-Length", Buffer.byteLength(text));
        res.end(text);
        return res;
      }
      res.type("application/json");
      const id = requestIdOf(res);
      logOf(res).error(
        { method: req.method, path: req.path, characters: text.length, limit: maxChars },
        "response too large",
      );
      const error = new HttpError(
        500,
        `The answer is ${text.length} characters, over the ${maxChars} the assistant accepts; ask for fewer results (a smaller limit or narrower filters).`,
        { code: "response_too_large" },
      );
      return res
        .status(error.status)
        .send(JSON.stringify({ ...error.toResponse(), request_id: id }));
    };
    next();
  };
}
