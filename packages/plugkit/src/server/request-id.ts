import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id: the one the platform's router sent (`X-Request-Id` on Heroku,
 * `Fly-Request-Id` on Fly.io) when it looks safe, or a new UUID. It is echoed in the
 * `X-Request-Id` response header and in server-error bodies and logs.
 */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.headers["x-request-id"] ?? req.headers["fly-request-id"];
  const id = typeof incoming === "string" && SAFE_ID.test(incoming) ? incoming : randomUUID();
  res.locals["requestId"] = id;
  res.setHeader("X-Request-Id", id);
  next();
};

/** The id {@link requestId} gave this response's request. */
export function requestIdOf(res: Response): string {
  const id: unknown = res.locals["requestId"];
  return typeof id === "string" ? id : "unknown";
}
