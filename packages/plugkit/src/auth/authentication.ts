import type { Request } from "express";
import type { Caller } from "./caller";
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
  _scopes?: string[],
): Promise<Caller> {
  if (securityName !== SECURITY_SCHEME) {
    throw new Error(
      `Unknown security scheme "${securityName}": mark operations with @Security("${SECURITY_SCHEME}")`,
    );
  }
  const auth = req.app.locals[AUTH] as PluginAuth | undefined;
  if (auth === undefined) throw new Error("The app has no auth: build it with createPluginApp");
  return auth.authenticate(req);
}
