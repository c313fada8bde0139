import type { Request, RequestHandler, Response } from "express";
import { HEALTH_PATH, READY_PATH } from "../server/paths";
import { requestIdOf } from "../server/request-id";
import { silentLogger, type Logger } from "./logger";

/** Paths polled by platforms' health checks: logged at debug, not info. */
const QUIET_PATHS = new Set([HEALTH_PATH, READY_PATH]);

/**
 * Binds a child of `logger` to each request's id (so every line about the request carries it)
 * and logs one line when the response is finished or the client goes away: method, path
 * (never the query string, which may carry codes or state), status and duration.
 * Goes after `requestId`.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const log = logger.child({ request_id: requestIdOf(res) });
    res.locals["log"] = log;
    const started = performance.now();
    let logged = false;
    const done = (outcome: "finished" | "aborted"): void => {
      if (logged) return;
      logged = true;
      const details = {
        method: req.method,
        path: pathOf(req),
        status: outcome === "finished" ? res.statusCode : undefined,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
      };
      if (outcome === "aborted") log.info(details, "request aborted by the client");
      else if (QUIET_PATHS.has(details.path)) log.debug(details, "request");
      else log.info(details, "request");
    };
    res.once("finish", () => {
      done("finished");
    });
    res.once("close", () => {
      done(res.writableFinished ? "finished" : "aborted");
    });
    next();
  };
}

/** The request-bound logger {@link requestLogging} gave this response, or `fallback`. */
export function logOf(res: Response | undefined, fallback: Logger = silentLogger): Logger {
  const log = res?.locals["log"] as Logger | undefined;
  return log ?? fallback;
}

function pathOf(req: Request): string {
  const path = req.originalUrl.split("?", 1)[0] ?? "";
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
