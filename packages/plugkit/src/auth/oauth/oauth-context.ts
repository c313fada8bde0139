import type { Request } from "express";
import type { AuthStore } from "../auth-store";
import type { Clock } from "../clock";
import type { ClientRegistry } from "./oauth-clients";
import type { ThrottleStore } from "../../limits/throttle-store";
import type { SignInThrottle } from "./sign-in-throttle";

/** Where the authorization server's endpoints are served. */
export const OAUTH_PATHS = {
  authorize: "/oauth/authorize",
  token: "/oauth/token",
  revoke: "/oauth/revoke",
  register: "/oauth/register",
  authorizationServerMetadata: "/.well-known/oauth-authorization-server",
  protectedResourceMetadata: "/.well-known/oauth-protected-resource",
} as const;

export interface OAuthLifetimes {
  codeSeconds: number;
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

/** What every endpoint handler shares. */
export interface OAuthContext {
  store: AuthStore;
  clients: ClientRegistry;
  clock: Clock;
  lifetimes: OAuthLifetimes;
  /** Supported scopes and what each lets a client do (shown on the consent page). */
  scopes: ReadonlyMap<string, string>;
  pluginName: string;
  consentText: string;
  throttle: SignInThrottle;
  /** Where the sign-in and registration counters live. */
  throttles: ThrottleStore;
  /** The issuer: this server's public origin for the request (`https://plugin.example.com`). */
  issuer(req: Request): string;
  /** The client's address, for throttling (the proxy hops in front are trusted, no more). */
  clientAddress(req: Request): string;
  /** Paths below the origin that are protected resources of their own (`/mcp`), besides `/`. */
  resourcePaths: readonly string[];
  /** Whether dynamic client registration (RFC 7591) is on. */
  registrationEnabled: boolean;
  registrationLimit: { perAddress: number; overall: number; windowSeconds: number };
  /**
   * Deletes what has expired, at most once a minute, in the background (called from the busy
   * endpoints, which never wait for it: a slow database must not hold back an answer whose
   * effects are already committed).
   */
  cleanUp(now: number): void;
}

/** A clean-up of expired codes, tokens, grants, clients and throttle events, at most once a minute. */
export function periodicCleanUp(store: AuthStore): (now: number) => void {
  let last = 0;
  return (now) => {
    if (now - last < 60_000) return;
    last = now;
    // A failure is retried a minute later; nothing waits for it.
    store.deleteExpired(now, now - 86400_000, now - 86400_000).catch(() => {
      last = now - 50_000;
    });
  };
}

/** The resources (RFC 8707) this server issues tokens for, at an origin. */
export function ownResources(context: OAuthContext, origin: string): string[] {
  return [origin, ...context.resourcePaths.map((path) => `${origin}${path}`)];
}

/** A resource identifier in canonical form: no trailing slash on the path, no fragment. */
export function canonicalResource(resource: string): string | undefined {
  try {
    const url = new URL(resource);
    if (url.hash !== "" || resource.includes("#")) return undefined;
    const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
    return `${url.origin}${path}${url.search}`;
  } catch {
    return undefined;
  }
}
