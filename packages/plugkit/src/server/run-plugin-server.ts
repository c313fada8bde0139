import type { Server } from "node:http";
import type { Express } from "express";
import type { PluginConfig } from "../config/plugin-config";
import { ConfigError } from "../errors";
import { MANIFEST_PATH } from "./paths";

/** A plugin app, ready to listen, with what it holds open. */
export interface RunnablePlugin {
  app: Express;
  config: Pick<PluginConfig, "port" | "host" | "auth"> & {
    database?: { path: string } | undefined;
  };
  /** Shown in the start-up line. @default "plugin" */
  name?: string;
  /** Releases what the app holds (its database), after the server has stopped. */
  close?: () => Promise<void>;
}

/** How long in-flight requests get to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Starts a plugin server: builds the app with `start` (a {@link ConfigError} is printed and the
 * process exits 1, without a stack trace), listens on `PORT` (and `HOST`), says where, and on
 * SIGTERM or SIGINT stops accepting, lets in-flight requests finish and closes the app.
 *
 * @example
 * // src/server.ts
 * runPluginServer(() => createApp(loadConfig()));
 */
export function runPluginServer(start: () => RunnablePlugin): Server | undefined {
  let plugin: RunnablePlugin;
  try {
    plugin = start();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { app, config, name = "plugin" } = plugin;
  const onListening = (): void => {
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    const database = config.database === undefined ? "" : `, database ${config.database.path}`;
    console.log(
      `plugkit: ${name} listening on http://localhost:${port} (manifest at ${MANIFEST_PATH}, auth ${config.auth.type}${database})`,
    );
    if (
      (config.auth.type === "service_http" || config.auth.type === "oauth") &&
      config.auth.verificationToken === undefined
    ) {
      console.log(
        "plugkit: OPENAI_VERIFICATION_TOKEN is not set; the manifest shows a placeholder until you set the token ChatGPT gives you at registration",
      );
    }
  };
  // Without a host, Node listens on every interface, IPv6 included where the machine has it.
  const server =
    config.host === undefined
      ? app.listen(config.port, onListening)
      : app.listen(config.port, config.host, onListening);
  server.on("error", (error) => {
    console.error(`plugkit: cannot listen on port ${config.port}: ${error.message}`);
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`plugkit: ${signal} received, closing`);
    server.close(() => {
      void (plugin.close?.() ?? Promise.resolve()).then(() => process.exit(0));
    });
    // Idle keep-alive connections would hold close() open; in-flight requests get a grace period.
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.on("SIGTERM", () => {
    stop("SIGTERM");
  });
  process.on("SIGINT", () => {
    stop("SIGINT");
  });
  return server;
}
