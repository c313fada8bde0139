import { createServer, type Server } from "node:http";
import type { Express } from "express";
import type { DatabaseLocation, PluginConfig } from "../config/plugin-config";
import { ConfigError } from "../errors";
import type { Logger } from "../logging/logger";
import { answerClientErrorsWithJson } from "./client-errors";
import { MANIFEST_PATH } from "./paths";
import { closePluginApp, pluginRuntimeOf } from "./plugin-runtime";

/** A plugin app, ready to listen, with what it holds open. */
export interface RunnablePlugin {
  app: Express;
  config: Pick<PluginConfig, "port" | "host" | "auth"> & {
    database?: DatabaseLocation | undefined;
  };
  /** Shown in the start-up line. @default "plugin" */
  name?: string;
  /** Releases what the app holds (its database), after the server has stopped. */
  close?: () => Promise<void>;
}

/** How the server guards against slow clients, and how long a shutdown may take. */
export interface ServerTimeouts {
  /** Longest wait for a request's headers. @default 10000 */
  headersMs: number;
  /** Longest wait for a whole request, headers and body. @default 30000 */
  requestMs: number;
  /** How long an idle keep-alive connection stays open (above the proxies' own). @default 65000 */
  keepAliveMs: number;
  /**
   * How long to wait for the database before listening: a database that answers by then is
   * migrated before the first request; one that does not is waited for while the server
   * answers 503 (a restart loop would not bring it back). @default 10000
   */
  startupWaitMs: number;
  /**
   * How long in-flight requests get to finish after SIGTERM before the rest are cut off:
   * within Heroku's 30 s and Fly.io's default kill timeout. @default 25000
   */
  shutdownMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 65_000,
  startupWaitMs: 10_000,
  shutdownMs: 25_000,
};

/**
 * An HTTP server for the app, guarded against slow clients: the headers, the whole request and
 * an idle keep-alive connection each have a deadline (checked every second), so a client that
 * trickles bytes cannot hold a connection for long; Node's own client errors (400, 408, 413,
 * 431) are answered with JSON. It does not listen yet.
 */
export function createPluginServer(
  app: Express,
  limits: Pick<ServerTimeouts, "headersMs" | "requestMs" | "keepAliveMs">,
  logger: Logger,
): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersMs,
      requestTimeout: limits.requestMs,
      keepAliveTimeout: limits.keepAliveMs,
      connectionsCheckingInterval: 1_000,
    },
    app,
  );
  answerClientErrorsWithJson(server, logger);
  return server;
}

function describeDatabase(location: DatabaseLocation | undefined): string {
  if (location === undefined) return "";
  return `, database ${location.kind === "sqlite" ? location.path : location.display}`;
}

/**
 * Starts a plugin server: builds the app with `start` (a {@link ConfigError} is printed and the
 * process exits 1, without a stack trace), listens on `PORT` (and `HOST`) with timeouts a slow
 * client cannot exhaust, and logs where. On SIGTERM or SIGINT it drains: `/readyz` answers
 * 503, the listener closes, each response closes its connection, in-flight requests finish
 * (within `shutdownMs`), then the app and its database are closed and the process exits 0.
 *
 * @example
 * // src/server.ts
 * runPluginServer(() => createApp(loadConfig()));
 */
export function runPluginServer(
  start: () => RunnablePlugin,
  timeouts: Partial<ServerTimeouts> = {},
): Server | undefined {
  const limits = { ...DEFAULT_TIMEOUTS, ...timeouts };
  let plugin: RunnablePlugin;
  try {
    plugin = start();
  } catch (error) {
    if (error instanceof ConfigError) {
      // For the person starting it: plain text, every problem named.
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { app, config, name = "plugin" } = plugin;
  const runtime = pluginRuntimeOf(app);
  const logger: Logger = runtime.logger;
  process.on("uncaughtException", (error) => {
    logger.error({ err: error }, "uncaught exception; exiting");
    process.exit(1);
  });
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled promise rejection; exiting");
    process.exit(1);
  });

  const onListening = (): void => {
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    logger.info(
      { port, auth: config.auth.type },
      `${name} listening on http://localhost:${port} (manifest at ${MANIFEST_PATH}, auth ${config.auth.type}${describeDatabase(config.database)})`,
    );
    if (
      (config.auth.type === "service_http" || config.auth.type === "oauth") &&
      config.auth.verificationToken === undefined
    ) {
      logger.warn(
        {},
        "OPENAI_VERIFICATION_TOKEN is not set; the manifest shows a placeholder until you set the token ChatGPT gives you at registration",
      );
    }
  };
  const server = createPluginServer(app, limits, logger);
  const listen = (): void => {
    // Without a host, Node listens on every interface, IPv6 included where the machine has it.
    if (config.host === undefined) server.listen(config.port, onListening);
    else server.listen(config.port, config.host, onListening);
  };
  let waited: NodeJS.Timeout | undefined;
  void Promise.race([
    Promise.all(runtime.startup).catch(() => undefined),
    new Promise((resolve) => {
      waited = setTimeout(resolve, limits.startupWaitMs);
    }),
  ]).then(() => {
    clearTimeout(waited);
    if (!stopping) listen();
  });
  server.on("error", (error) => {
    logger.error({ port: config.port, err: error.message }, `cannot listen on port ${config.port}`);
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    runtime.draining = true;
    const started = Date.now();
    logger.info({ signal, grace_ms: limits.shutdownMs }, `${signal} received; draining`);
    const finish = async (code: number): Promise<void> => {
      clearInterval(sweeper);
      try {
        await closePluginApp(app);
        await plugin.close?.();
      } catch (error) {
        logger.error({ err: error }, "closing failed");
      }
      logger.info({ duration_ms: Date.now() - started }, "stopped");
      process.exit(code);
    };
    server.close(() => {
      void finish(0);
    });
    // Connections that finish their request become idle: close them as they do.
    server.closeIdleConnections();
    const sweeper = setInterval(() => {
      server.closeIdleConnections();
    }, 100);
    setTimeout(() => {
      logger.warn(
        { grace_ms: limits.shutdownMs },
        "requests still in flight at the deadline; cutting them off",
      );
      server.closeAllConnections();
      void finish(1);
    }, limits.shutdownMs).unref();
  };
  process.on("SIGTERM", () => {
    stop("SIGTERM");
  });
  process.on("SIGINT", () => {
    stop("SIGINT");
  });
  return server;
}
