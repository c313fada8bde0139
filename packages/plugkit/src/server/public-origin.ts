import type { Request } from "express";
import { BadRequestError, ConfigError } from "../errors";

/** How the server decides which origin (`https://plugin.example.com`) to write into its files. */
export interface PublicOriginOptions {
  /** A fixed public URL (`PUBLIC_URL`); when set, request headers are ignored. */
  publicUrl?: string | undefined;
  /**
   * Proxies in front (`TRUSTED_PROXY_HOPS`) whose `X-Forwarded-Proto` and `X-Forwarded-Host` are
   * believed, as Heroku's and Fly.io's routers set them. @default 0
   */
  trustedProxyHops?: number | undefined;
}

// A DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port.
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * Parses and normalises a configured public URL to an origin (`https://example.com`), or
 * throws a {@link ConfigError} naming `setting` when it is not a bare http(s) origin.
 */
export function parsePublicUrl(value: string, setting = "PUBLIC_URL"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `${setting}: ${JSON.stringify(value)} is not a URL; write it like https://plugin.example.com`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(
      `${setting}: ${JSON.stringify(value)} must start with http:// or https://`,
    );
  }
  if (
    (url.pathname !== "/" && url.pathname !== "") ||
    url.search !== "" ||
    url.hash !== "" ||
    url.username !== ""
  ) {
    throw new ConfigError(
      `${setting}: ${JSON.stringify(value)} must be an origin only (scheme, host and port): the manifest is always served at /.well-known/ai-plugin.json`,
    );
  }
  return url.origin;
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(",")[0]?.trim();
  return first === "" ? undefined : first;
}

/**
 * The value a trusted proxy wrote: with `hops` proxies in front, the entry that many places from
 * the end of a comma-separated forwarded header. Entries before it were written by the client.
 */
function proxyValue(header: string | string[] | undefined, hops: number): string | undefined {
  const value = Array.isArray(header) ? header.join(",") : header;
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[entries.length - hops];
}

/** True for hosts that are only reachable from this machine, which are served over plain http. */
export function isLocalHost(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    name === "[::1]" ||
    name === "0.0.0.0"
  );
}

/**
 * The public origin a request reached the plugin at: `publicUrl` when configured; otherwise
 * the forwarded host and scheme (behind a proxy), or the `Host` header, with `http` for
 * localhost and `https` for any other host. Throws a 400 when the host header is not a valid
 * host, so nothing a client sends can be injected into the served files.
 */
export function resolvePublicOrigin(req: Request, options: PublicOriginOptions = {}): string {
  if (options.publicUrl !== undefined) return options.publicUrl;
  const hops = options.trustedProxyHops ?? 0;
  const forwardedHost = hops > 0 ? proxyValue(req.headers["x-forwarded-host"], hops) : undefined;
  const host = forwardedHost ?? firstValue(req.headers.host);
  const match = host === undefined ? null : HOST.exec(host);
  if (host === undefined || match === null) {
    throw new BadRequestError(
      `Cannot tell this plugin's public address: the ${forwardedHost === undefined ? "Host" : "X-Forwarded-Host"} header ${host === undefined ? "is missing" : `${JSON.stringify(host.slice(0, 100))} is not a valid host`}.`,
      { code: "invalid_host" },
    );
  }
  const forwardedProto =
    hops > 0 ? proxyValue(req.headers["x-forwarded-proto"], hops)?.toLowerCase() : undefined;
  const port = match[1];
  const hostname = (port === undefined ? host : host.slice(0, -(port.length + 1))).toLowerCase();
  const scheme =
    forwardedProto === "http" || forwardedProto === "https"
      ? forwardedProto
      : isLocalHost(hostname)
        ? "http"
        : "https";
  const defaultPort = scheme === "https" ? "443" : "80";
  return `${scheme}://${hostname}${port === undefined || port === defaultPort ? "" : `:${port}`}`;
}

/**
 * The address of the client that made a request, for throttling. With `trustedProxyHops`
 * proxies in front (Heroku's and Fly.io's routers are one), the address the last of them saw
 * is the entry that many places from the end of `X-Forwarded-For`; every entry before it was
 * written by the client, who could put anything there. With no trusted proxy, it is the
 * socket's peer.
 */
export function clientAddress(req: Request, trustedProxyHops: number): string {
  if (trustedProxyHops > 0) {
    const hops = (req.get("x-forwarded-for") ?? "")
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    const seen = hops[hops.length - trustedProxyHops];
    if (seen !== undefined) return seen;
  }
  return req.socket.remoteAddress ?? "unknown";
}
