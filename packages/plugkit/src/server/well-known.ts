import { createHash } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import { fillPluginHostname } from "../manifest/public-origin-placeholder";
import type { OpenApiDocument } from "../spec/openapi-types";
import { resolvePublicOrigin, type PublicOriginOptions } from "./public-origin";

import {
  ACTIONS_SPEC_PATH,
  LOGO_PATH,
  MANIFEST_PATH,
  SPEC_JSON_PATH,
  SPEC_YAML_PATH,
} from "./paths";

/** What {@link wellKnownHandlers} serves. */
export interface WellKnownOptions extends PublicOriginOptions {
  /** The manifest document, with `PLUGIN_HOSTNAME` in its URLs. */
  manifest: object;
  /** The OpenAPI document, with `PLUGIN_HOSTNAME` as its server URL (made on first use). */
  spec: () => OpenApiDocument;
  /** The logo's PNG bytes. */
  logo: Buffer;
  /** The GPT Action's spec (OpenAPI 3.1), served at `/openapi.actions.json` (made on first use). */
  actionsSpec?: () => OpenApiDocument;
}

/**
 * One origin's renderings, each made on the first request for it (the YAML library is loaded
 * only then), so start-up and the first request pay only for what is asked.
 */
interface Rendered {
  manifest?: Body;
  filledSpec?: OpenApiDocument;
  json?: Body;
  yaml?: Body;
  actions?: Body;
}

/** A served file's bytes and its ETag, computed once rather than on every request. */
interface Body {
  text: string | Buffer;
  etag: string;
}

function bodyOf(text: string | Buffer): Body {
  return { text, etag: `W/"${createHash("sha1").update(text).digest("base64url")}"` };
}

/** Sends a file with its ETag; Express answers 304 when the client has it already. */
function send(res: Response, type: string, body: Body): void {
  res.set("ETag", body.etag);
  res.type(type).send(body.text);
}

// Enough for localhost, a deployment's own hosts and a few aliases; cleared when full, so a
// client that invents hosts cannot grow it without bound.
const MAX_CACHED_ORIGINS = 32;

/**
 * Serves the plugin's files with the public origin filled in per request:
 * `/.well-known/ai-plugin.json`, `/openapi.yaml`, `/openapi.json`, `/openapi.actions.json` (the
 * GPT Action's spec) and `/logo.png`.
 * Each origin's rendering is cached, so a request costs a map lookup.
 */
export function wellKnownHandlers(options: WellKnownOptions): Map<string, RequestHandler> {
  const { manifest, spec, logo } = options;
  const cache = new Map<string, Rendered>();

  const render = (req: Request, res: Response): { origin: string; rendered: Rendered } => {
    const origin = resolvePublicOrigin(req, options);
    // The body depends on these headers; shared caches must not mix origins.
    res.vary("Host");
    if (options.publicUrl === undefined && (options.trustedProxyHops ?? 0) > 0) {
      res.vary("X-Forwarded-Host");
      res.vary("X-Forwarded-Proto");
    }
    res.set("Cache-Control", "no-cache");
    let rendered = cache.get(origin);
    if (rendered === undefined) {
      rendered = {};
      if (cache.size >= MAX_CACHED_ORIGINS) cache.clear();
      cache.set(origin, rendered);
    }
    return { origin, rendered };
  };
  const filledSpec = (origin: string, rendered: Rendered): OpenApiDocument =>
    (rendered.filledSpec ??= fillPluginHostname(spec(), origin));

  const handlers = new Map<string, RequestHandler>();
  handlers.set(MANIFEST_PATH, (req, res) => {
    const { origin, rendered } = render(req, res);
    rendered.manifest ??= bodyOf(JSON.stringify(fillPluginHostname(manifest, origin), null, 2));
    send(res, "application/json", rendered.manifest);
  });
  handlers.set(SPEC_YAML_PATH, (req, res) => {
    const { origin, rendered } = render(req, res);
    if (rendered.yaml === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { specToYaml } = require("../spec/spec-yaml") as typeof import("../spec/spec-yaml");
      rendered.yaml = bodyOf(specToYaml(filledSpec(origin, rendered)));
    }
    send(res, "application/yaml; charset=utf-8", rendered.yaml);
  });
  handlers.set(SPEC_JSON_PATH, (req, res) => {
    const { origin, rendered } = render(req, res);
    rendered.json ??= bodyOf(JSON.stringify(filledSpec(origin, rendered), null, 2));
    send(res, "application/json", rendered.json);
  });
  const { actionsSpec } = options;
  if (actionsSpec !== undefined) {
    handlers.set(ACTIONS_SPEC_PATH, (req, res) => {
      const { origin, rendered } = render(req, res);
      rendered.actions ??= bodyOf(
        JSON.stringify(fillPluginHostname(actionsSpec(), origin), null, 2),
      );
      send(res, "application/json", rendered.actions);
    });
  }
  const logoBody = bodyOf(logo);
  handlers.set(LOGO_PATH, (_req, res) => {
    res.set("Cache-Control", "public, max-age=86400");
    send(res, "image/png", logoBody);
  });
  return handlers;
}
