import express, { type Express, type Router } from "express";
import { applyAuthToManifest, applyAuthToSpec } from "../auth/apply-auth";
import { setPluginAuth } from "../auth/authentication";
import { noAuth, type PluginAuth } from "../auth/plugin-auth";
import { ConfigError, HttpError } from "../errors";
import { MANIFEST_LIMITS, characterCount } from "../manifest/manifest-limits";
import type { OpenApiDocument } from "../spec/openapi-types";
import { CHATGPT_ORIGINS, createCors, parseCorsOrigins } from "./cors";
import {
  consoleErrorLogger,
  createErrorHandler,
  notFoundHandler,
  type ErrorLogger,
} from "./error-handler";
import { jsonBody } from "./json-body";
import { parsePublicUrl } from "./public-origin";
import { parsePluginQuery } from "./query-parser";
import { requestIdOf } from "./request-id";
import { requestId } from "./request-id";
import type { RequestHandler } from "express";
import { setServices } from "./services";
import { createWellKnownRouter } from "./well-known";

/** Options for {@link createPluginApp}. */
export interface PluginAppOptions<Services = unknown> {
  /** Registers the API routes: tsoa's generated `RegisterRoutes`. */
  registerRoutes: (router: Router) => void;
  /** The generated manifest (`generated/ai-plugin.json`). */
  manifest: object;
  /** The generated OpenAPI document (`generated/openapi.yaml`, parsed). */
  spec: OpenApiDocument;
  /** The logo's PNG bytes, served at `/logo.png`. */
  logo: Buffer;
  /**
   * The auth type, checked on `@Security("plugin")` operations; it also decides the served
   * manifest's `auth` and `api.is_user_authenticated` and the served spec's security.
   * @default noAuth()
   */
  auth?: PluginAuth;
  /** Appended to the served spec's description when the auth identifies accounts. */
  accountNote?: string;
  /** Handed to every controller's constructor (see `servicesContainer`). */
  services?: Services;
  /** Fixed public origin; when unset it is taken from each request. @default undefined */
  publicUrl?: string | undefined;
  /** Honour `X-Forwarded-Host`/`X-Forwarded-Proto`. @default true */
  trustForwardedHeaders?: boolean;
  /** Origins allowed by CORS; `*` allows any. @default ["https://chat.openai.com", "https://chatgpt.com"] */
  corsOrigins?: readonly string[];
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
  /** Where server errors are logged. @default one JSON line on stderr */
  logger?: ErrorLogger;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Builds the Express app that serves a plugin: CORS for ChatGPT, the manifest, spec and logo
 * with the public origin filled in, the auth type's own endpoints, the API routes, and JSON
 * errors for everything that goes
 * wrong. It does not listen; call `app.listen(port)`. Options are checked here, so a bad
 * option fails at startup, not on the first request.
 *
 * @example
 * const app = createPluginApp({ registerRoutes: RegisterRoutes, manifest, spec, logo, services: { store } });
 * app.listen(3333);
 */
export function createPluginApp<Services>(options: PluginAppOptions<Services>): Express {
  const {
    registerRoutes,
    manifest,
    spec,
    logo,
    services,
    auth = noAuth(),
    accountNote,
    trustForwardedHeaders = true,
    corsOrigins = CHATGPT_ORIGINS,
    bodyLimit = "100kb",
    maxResponseChars = 100_000,
    descriptions = {},
    logger = consoleErrorLogger,
  } = options;
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
  const publicUrl = options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl);
  const origins = parseCorsOrigins(corsOrigins);
  if (!logo.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new ConfigError("logo: the logo must be a PNG file");
  }
  if (!Array.isArray(spec.servers) || typeof spec.paths !== "object") {
    throw new ConfigError("spec: not an OpenAPI document; pass the parsed generated/openapi.yaml");
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", parsePluginQuery);
  setServices(app.locals, services);
  setPluginAuth(app.locals, auth);
  app.use(requestId);
  app.use((_req, res, next) => {
    res.set("X-Content-Type-Options", "nosniff");
    next();
  });
  app.use(createCors(origins));
  app.use(
    createWellKnownRouter({
      manifest: {
        ...applyAuthToManifest(manifest as Record<string, unknown>, auth),
        ...manifestText,
      },
      spec: applyAuthToSpec(spec, auth, accountNote),
      logo,
      publicUrl,
      trustForwardedHeaders,
    }),
  );
  if (auth.router !== undefined) app.use(auth.router);

  const api = express.Router();
  api.use(jsonBody(bodyLimit));
  api.use(limitResponseSize(maxResponseChars, logger));
  registerRoutes(api);
  app.use(api);

  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  return app;
}

/** Refuses (and logs) JSON responses longer than the platform accepts. */
function limitResponseSize(maxChars: number, logger: ErrorLogger): RequestHandler {
  return (req, res, next) => {
    res.json = (body: unknown) => {
      const text = JSON.stringify(body) as string | undefined;
      res.type("application/json");
      if (text === undefined || text.length <= maxChars) return res.send(text ?? "");
      const id = requestIdOf(res);
      logger.error("response too large", {
        request_id: id,
        method: req.method,
        path: req.path,
        characters: text.length,
        limit: maxChars,
      });
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
