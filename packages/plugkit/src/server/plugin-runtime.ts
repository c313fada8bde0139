import type { Express } from "express";
import { VerifiedCredentials } from "../limits/api-rate-limit";
import { createLogger, type Logger } from "../logging/logger";

/** Something `/readyz` asks: resolves when it answers, throws when it does not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** What a plugin app carries besides its routes, for `runPluginServer` and `/readyz`. */
export interface PluginRuntime {
  logger: Logger;
  /** Set on SIGTERM: `/readyz` answers 503 and responses close their connections. */
  draining: boolean;
  readiness: ReadinessCheck[];
  /** What `runPluginServer` waits for (a while) before it listens: the database's migrations. */
  startup: Promise<unknown>[];
  /** Credentials the auth has accepted: the API rate limit counts per credential only for them. */
  credentials: VerifiedCredentials;
  /** What `closePluginApp` releases (Redis connections, timers), in order. */
  closers: (() => Promise<void>)[];
}

const RUNTIME = Symbol.for("plugkit.runtime");

export function setPluginRuntime(app: Pick<Express, "locals">, runtime: PluginRuntime): void {
  (app.locals as Record<symbol, unknown>)[RUNTIME] = runtime;
}

/** The runtime `createPluginApp` attached; a bare one for apps it did not build. */
export function pluginRuntimeOf(app: Pick<Express, "locals">): PluginRuntime {
  const runtime = (app.locals as Record<symbol, unknown>)[RUNTIME] as PluginRuntime | undefined;
  return (
    runtime ?? {
      logger: createLogger(),
      draining: false,
      readiness: [],
      startup: [],
      credentials: new VerifiedCredentials(),
      closers: [],
    }
  );
}

/**
 * Releases what `createPluginApp` opened for itself (its Redis connection, its timers); the
 * database and services stay the caller's to close. `runPluginServer` calls it on shutdown;
 * call it yourself when you serve the app some other way, or in tests.
 */
export async function closePluginApp(app: Express): Promise<void> {
  const runtime = pluginRuntimeOf(app);
  for (const close of runtime.closers.splice(0)) await close();
}
