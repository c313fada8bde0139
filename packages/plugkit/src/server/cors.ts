import cors from "cors";
import type { RequestHandler } from "express";
import { ConfigError } from "../errors";

/** The origins ChatGPT's web app calls plugins from. */
export const CHATGPT_ORIGINS: readonly string[] = [
  "https://chat.openai.com",
  "https://chatgpt.com",
];

/**
 * Checks a list of allowed origins (`https://chatgpt.com`, or `*` for any) and returns it
 * normalised; throws a {@link ConfigError} naming `setting` for an entry that is not an origin.
 */
export function parseCorsOrigins(origins: readonly string[], setting = "CORS_ORIGINS"): string[] {
  return origins.map((entry) => {
    if (entry === "*") return entry;
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (
      url === undefined ||
      (url.protocol !== "http:" && url.protocol !== "https:") ||
      url.origin !== entry.replace(/\/$/, "")
    ) {
      throw new ConfigError(
        `${setting}: ${JSON.stringify(entry)} is not an origin; write it like https://chatgpt.com (scheme and host, no path)`,
      );
    }
    return url.origin;
  });
}

/**
 * CORS for the listed origins only. Preflights from them are answered with
 * `Access-Control-Allow-Private-Network: true`, which Chrome asks for before a public page
 * (ChatGPT) may call a plugin on localhost. Requests from other origins get no CORS headers,
 * so browsers refuse them.
 */
export function createCors(origins: readonly string[]): RequestHandler {
  const anyOrigin = origins.includes("*");
  const allowed = new Set(origins);
  const isAllowed = (origin: string | undefined): boolean =>
    origin !== undefined && (anyOrigin || allowed.has(origin));
  const corsMiddleware = cors({
    origin: (origin, callback) => {
      callback(null, isAllowed(origin));
    },
    methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    maxAge: 600,
  });
  return (req, res, next) => {
    if (
      req.method === "OPTIONS" &&
      req.get("access-control-request-method") !== undefined &&
      isAllowed(req.get("origin"))
    ) {
      res.set("Access-Control-Allow-Private-Network", "true");
    }
    corsMiddleware(req, res, next);
  };
}
