import express, { Router, type ErrorRequestHandler, type RequestHandler } from "express";
import { ConfigError } from "../../errors";
import { OAUTH_PATHS } from "./oauth-context";
import { InvalidRequestError } from "./oauth-errors";
import { renderProblemPage } from "./sign-in-page";

const BODY_LIMIT = "16kb";

/** The OAuth endpoints whose bodies {@link oauthBodies} parses (forms or JSON). */
export const OAUTH_BODY_PATHS: readonly string[] = [
  OAUTH_PATHS.token,
  OAUTH_PATHS.revoke,
  OAUTH_PATHS.register,
];

/**
 * Parses the bodies of the OAuth endpoints, which are forms (and JSON, which ChatGPT may send to
 * the token endpoint and RFC 7591 requires at registration), before the API's JSON-only parser
 * sees them. A body that cannot be read is `invalid_request` in RFC 6749's shape, or a page for
 * the sign-in form.
 */
export function oauthBodies(): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT });
  const json = express.json({ limit: BODY_LIMIT });
  const onlyFormOrJson: RequestHandler = (req, _res, next) => {
    const hasBody =
      req.get("transfer-encoding") !== undefined || Number(req.get("content-length") ?? "0") > 0;
    next(
      hasBody && !req.readableEnded
        ? new InvalidRequestError(
            `send the request as application/x-www-form-urlencoded or application/json (got ${JSON.stringify(req.get("content-type") ?? "no Content-Type")})`,
          )
        : undefined,
    );
  };
  router.post([...OAUTH_BODY_PATHS], json, form, onlyFormOrJson);
  router.post(OAUTH_PATHS.authorize, form);
  const unreadable: ErrorRequestHandler = (err: unknown, req, res, next) => {
    const status = (err as { status?: unknown }).status;
    if (typeof status !== "number" || status >= 500) {
      next(err);
      return;
    }
    if (req.path === OAUTH_PATHS.authorize) {
      res
        .status(400)
        .type("html")
        .set("Cache-Control", "no-store")
        .send(
          renderProblemPage(
            "Invalid request",
            "The sign-in form could not be read. Start again from the application.",
          ),
        );
      return;
    }
    next(new InvalidRequestError(`the request body cannot be read: ${(err as Error).message}`));
  };
  router.use(unreadable);
  return router;
}

/** The endpoints the plugin's OAuth controller must serve, as Express registers them. */
const REQUIRED_ROUTES: readonly [method: string, path: string][] = [
  ["get", OAUTH_PATHS.authorize],
  ["post", OAUTH_PATHS.authorize],
  ["post", OAUTH_PATHS.token],
  ["post", OAUTH_PATHS.revoke],
  ["post", OAUTH_PATHS.register],
  ["get", OAUTH_PATHS.authorizationServerMetadata],
  ["get", OAUTH_PATHS.protectedResourceMetadata],
];

/**
 * With `PLUGIN_AUTH=oauth`, the generated routes must include the OAuth controller's endpoints:
 * a plugin without them could never issue a token. Throws a {@link ConfigError} naming what is
 * missing.
 */
export function checkOAuthRoutes(served: ReadonlySet<string>): void {
  const missing = REQUIRED_ROUTES.filter(([method, path]) => !served.has(`${method} ${path}`));
  if (missing.length > 0) {
    throw new ConfigError(
      `PLUGIN_AUTH=oauth needs the OAuth controller's endpoints, and the generated routes lack ${missing
        .map(([method, path]) => `${method.toUpperCase()} ${path}`)
        .join(
          ", ",
        )}: add src/controllers/oauth-controller.ts (plugkit init --auth oauth writes one) and run plugkit build`,
    );
  }
}
