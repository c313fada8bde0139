import type { Request } from "express";
import { NotFoundError } from "../errors";
import { pluginRuntimeOf } from "../server/plugin-runtime";
import type { Caller } from "./caller";
import type { OAuthServer } from "./oauth/oauth-auth";
import { SECURITY_SCHEME, type PluginAuth } from "./plugin-auth";

const AUTH = "plugkitAuth";

/** Stores the app's auth for {@link expressAuthentication}. */
export function setPluginAuth(locals: Record<string, unknown>, auth: PluginAuth): void {
  locals[AUTH] = auth;
}

/**
 * tsoa's authentication hook (tsoa.json `routes.authenticationModule` must export a function of
 * this name): runs the app's configured auth for every operation marked `@Security("plugin")`.
 * The caller it returns becomes `request.user`; see `getPluginContext`.
 */
export async function expressAuthentication(
  req: Request,
  securityName: string,
  scopes?: string[],
): Promise<Caller> {
  if (securityName !== SECURITY_SCHEME) {
    throw new Error(
      `Unknown security scheme "${securityName}": mark operations with @Security("${SECURITY_SCHEME}")`,
    );
  }
  const auth = req.app.locals[AUTH] as PluginAuth | undefined;
  if (auth === undefined) throw new Error("The app has no auth: build it with createPluginApp");
  const caller = await auth.authenticate(req, scopes ?? []);
  // From now on this credential's requests count against it, not against their address.
  if (caller.kind !== "anonymous") pluginRuntimeOf(req.app).credentials.remember(req);
  return caller;
}

/**
 * The app's OAuth authorization server, for the OAuth controller's endpoints: a 404 when the
 * plugin's auth type is not `oauth`.
 *
 * @example
 * @Post("token") public async token(@Request() req: ExpressRequest): Promise<void> {
 *   await getOAuthServer(req).token(req, req.res!);
 * }
 */
export function getOAuthServer(req: Request): OAuthServer {
  const auth = req.app.locals[AUTH] as PluginAuth | undefined;
  if (auth?.oauth === undefined) {
    throw new NotFoundError(
      `This plugin does not use OAuth (PLUGIN_AUTH is ${auth?.type ?? "unset"}), so there is no ${req.method} ${req.path}.`,
    );
  }
  return auth.oauth;
}
