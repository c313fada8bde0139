import type { Request, Response, Router } from "express";
import { expressAuthentication, getOAuthServer } from "../src/auth/authentication";
import type { GeneratedManifest } from "../src/manifest/manifest-types";
import { PLUGIN_HOSTNAME } from "../src/manifest/public-origin-placeholder";
import type { OpenApiDocument } from "../src/spec/openapi-types";

/** A generated manifest, as `plugkit build` writes it. */
export const TEST_MANIFEST: GeneratedManifest = {
  schema_version: "v1",
  name_for_human: "Pets",
  name_for_model: "pets",
  description_for_human: "Look up pets.",
  description_for_model: "Look up pets by name.",
  api: { type: "openapi", url: `${PLUGIN_HOSTNAME}/openapi.yaml` },
  logo_url: `${PLUGIN_HOSTNAME}/logo.png`,
  contact_email: "pets@example.com",
  legal_info_url: "https://example.com/legal",
};

/** An empty generated spec. */
export const TEST_SPEC: OpenApiDocument = {
  openapi: "3.0.0",
  info: { title: "Pets", version: "v1" },
  servers: [{ url: PLUGIN_HOSTNAME }],
  paths: {},
};

/** Registers the OAuth controller's routes as a plugin with PLUGIN_AUTH=oauth must have them. */
export function registerOAuthRoutes(router: Router): void {
  const done = (_req: unknown, res: { end: () => void }) => {
    res.end();
  };
  for (const path of [
    "/oauth/authorize",
    "/.well-known/oauth-authorization-server",
    "/.well-known/oauth-protected-resource",
  ])
    router.get(path, done);
  for (const path of ["/oauth/authorize", "/oauth/token", "/oauth/revoke", "/oauth/register"])
    router.post(path, done);
}

/**
 * The OAuth endpoints as a plugin's OAuth controller serves them, and two protected routes
 * (`/things` and `/mcp`) that answer with the caller, for tests without the example plugin.
 */
export function registerOAuthEndpoints(router: Router): void {
  const serve =
    (run: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: (error?: unknown) => void) => {
      run(req, res).catch(next);
    };
  const oauth = (req: Request) => getOAuthServer(req);
  router.get(
    "/oauth/authorize",
    serve((req, res) => oauth(req).authorizePage(req, res)),
  );
  router.post(
    "/oauth/authorize",
    serve((req, res) => oauth(req).authorize(req, res)),
  );
  router.post(
    "/oauth/token",
    serve((req, res) => oauth(req).token(req, res)),
  );
  router.post(
    "/oauth/revoke",
    serve((req, res) => oauth(req).revoke(req, res)),
  );
  router.post(
    "/oauth/register",
    serve((req, res) => oauth(req).register(req, res)),
  );
  router.get(
    "/.well-known/oauth-authorization-server",
    serve((req, res) => oauth(req).authorizationServerMetadata(req, res)),
  );
  router.get(
    "/.well-known/oauth-protected-resource",
    serve((req, res) => oauth(req).protectedResourceMetadata(req, res)),
  );
  router.get(
    "/.well-known/oauth-protected-resource/:path",
    serve((req, res) =>
      oauth(req).protectedResourceMetadata(req, res, `/${String(req.params["path"])}`),
    ),
  );
  for (const path of ["/things", "/mcp"]) {
    router.get(
      path,
      serve(async (req, res) => {
        res.json(await expressAuthentication(req, "plugin"));
      }),
    );
  }
  router.post(
    "/things",
    serve(async (req, res) => {
      res.json(await expressAuthentication(req, "plugin", ["things:write"]));
    }),
  );
}
