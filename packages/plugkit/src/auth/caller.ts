import type { Request } from "express";
import type { Logger } from "../logging/logger";
import { logOf } from "../logging/request-logging";
import type { Account } from "./auth-store";

/** Who made a request, as established by the plugin's auth. */
export type Caller =
  /** `none`: nobody is identified. */
  | { kind: "anonymous" }
  /** `service_http`: ChatGPT, with the service's key; individual users are not identified. */
  | { kind: "service" }
  /** `user_http` or `oauth`: a signed-in account. */
  | { kind: "account"; account: Account; via: "user_http" | "oauth" };

/** A typed view of what ChatGPT sends with each call, and who is calling. */
export interface PluginContext {
  caller: Caller;
  /** `openai-ephemeral-user-id`: a per-user id ChatGPT sends, stable for a while. */
  ephemeralUserId: string | undefined;
  /** `openai-conversation-id`: the conversation the call belongs to. */
  conversationId: string | undefined;
  /** `openai-subdivision-1-iso-code`: the user's country and region, e.g. `US-CA`. */
  subdivision: string | undefined;
  /** The request's logger: every line it writes carries the request id. */
  log: Logger;
}

const MAX_HEADER = 200;

function header(req: Request, name: string): string | undefined {
  const value = req.get(name)?.trim();
  return value === undefined || value === "" || value.length > MAX_HEADER ? undefined : value;
}

/**
 * The plugin context of a request: the caller set by the plugin's auth (tsoa stores it as
 * `request.user`) and the OpenAI headers, each undefined when absent or implausibly long.
 *
 * @example
 * public async getTodos(@Request() req: ExRequest) { const { caller } = getPluginContext(req); }
 */
export function getPluginContext(req: Request): PluginContext {
  const user = (req as Request & { user?: unknown }).user as Caller | undefined;
  const subdivision = header(req, "openai-subdivision-1-iso-code");
  return {
    caller: user ?? { kind: "anonymous" },
    log: logOf(req.res),
    ephemeralUserId: header(req, "openai-ephemeral-user-id"),
    conversationId: header(req, "openai-conversation-id"),
    subdivision:
      subdivision !== undefined && /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(subdivision)
        ? subdivision
        : undefined,
  };
}
