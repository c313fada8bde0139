import type { Request, RequestHandler, Response } from "express";
import { HEALTH_PATH, READY_PATH } from "../server/paths";
import { requestIdOf } from "../server/request-id";
import { silentLogger, type Logger } from "./logger";

/** Paths polled by platforms' health checks: logged at debug, not info. */
const QUIET_PATHS = new Set([HEALTH_PATH, READY_PATH]);

/** A response's logger: made on first use, since most requests log only their one line. */
interface RequestLog {
  logger: Logger;
  child: Logger | undefined;
}

const REQUEST_LOG = Symbol("plugkit.requestLog");

/**
 * Logs one line when the response is finished or the client goes away: method, path (never
 * the query string, which may carry codes or state), status and duration, with the request's
 * id; and gives the request a child of `logger` bound to its id (see {@link logOf}), so every
 * line about the request carries it. Goes after `requestId`.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestLog: RequestLog = { logger, child: undefined };
    (res as unknown as Record<symbol, RequestLog>)[REQUEST_LOG] = requestLog;
    const started = performance.now();
    let logged = false;
    const done = (outcome: "finished" | "aborted"): void => {
      if (logged) return;
      logged = true;
      const details = {
        request_id: requestIdOf(res),
        method: req.method,
        path: pathOf(req),
        status: outcome === "finished" ? res.statusCode : undefined,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
      };
      if (outcome === "aborted") logger.info(details, "request aborted by the client");
      else if (QUIET_PATHS.has(details.path)) logger.debug(details, "request");
      else logger.info(details, "request");
    };
    // Node emits "close" after every response, finished or cut short.
    res.once("close", () => {
      done(res.writableFinished ? "finished" : "aborted");
    });
    next();
  };
}

/** The request-bound logger {@link requestLogging} gave this response, or `fallback`. */
export function logOf(res: Response | undefined, fallback: Logger = silentLogger): Logger {
  const requestLog = (res as unknown as Record<symbol, RequestLog | undefined> | undefined)?.[
    REQUEST_LOG
  ];
  if (requestLog === undefined || res === undefined) return fallback;
  requestLog.child ??= requestLog.logger.child({ request_id: requestIdOf(res) });
  return requestLog.child;
}

function pathOf(req: Request): string {
  const path = req.originalUrl.split("?", 1)[0] ?? "";
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
