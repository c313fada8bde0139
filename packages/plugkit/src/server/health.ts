import type { RequestHandler } from "express";
import type { PluginRuntime } from "./plugin-runtime";
import { HEALTH_PATH, READY_PATH } from "./paths";

/** How long `/readyz` waits for each dependency. */
const CHECK_TIMEOUT_MS = 2_000;

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome of asking every dependency, at one moment. */
interface Readiness {
  at: number;
  checks: Record<string, "ok" | "unavailable">;
}

/** How long one round of checks answers every `/readyz` (so a flood costs one query a second). */
const READINESS_TTL_MS = 1_000;

/**
 * `GET /healthz`: the process is up and serving (for restarts: Fly.io's checks). `GET
 * /readyz`: it can do its work: each dependency (the database, Redis) answers within 2 s, and
 * it is not shutting down (for routing). Both answer JSON with `Cache-Control: no-store`;
 * neither is in the model-facing spec. `/readyz` asks the dependencies at most once a second,
 * however often it is called, and names only which failed: why goes to the log (an error
 * message may name internal hosts or the database user).
 */
export function healthHandlers(runtime: PluginRuntime): Map<string, RequestHandler> {
  const handlers = new Map<string, RequestHandler>();
  let last: Readiness | undefined;
  let pending: Promise<Readiness> | undefined;
  const check = async (): Promise<Readiness> => {
    const checks: Readiness["checks"] = {};
    await Promise.all(
      runtime.readiness.map(async (readiness) => {
        const { name } = readiness;
        try {
          await within(CHECK_TIMEOUT_MS, readiness.check());
          checks[name] = "ok";
        } catch (error) {
          checks[name] = "unavailable";
          runtime.logger.warn(
            { check: name, err: error instanceof Error ? error.message : String(error) },
            "readiness check failed",
          );
        }
      }),
    );
    return { at: Date.now(), checks };
  };
  const readiness = (): Promise<Readiness> => {
    if (last !== undefined && Date.now() - last.at < READINESS_TTL_MS) return Promise.resolve(last);
    pending ??= check().then((result) => {
      last = result;
      pending = undefined;
      return result;
    });
    return pending;
  };

  handlers.set(HEALTH_PATH, (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  handlers.set(READY_PATH, async (_req, res) => {
    const { checks } = await readiness();
    const failing = Object.entries(checks).filter(([, result]) => result !== "ok");
    res.set("Cache-Control", "no-store");
    if (runtime.draining) {
      res.status(503).json({
        error: "shutting_down",
        message: "This instance is shutting down; send requests to another.",
        checks,
      });
    } else if (failing.length > 0) {
      res
        .status(503)
        .set("Retry-After", "5")
        .json({
          error: "not_ready",
          message: `Not ready: ${failing.map(([name]) => name).join(" and ")} not answering.`,
          checks,
        });
    } else {
      res.json({ status: "ready", checks });
    }
  });
  return handlers;
}
