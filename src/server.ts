import { ConfigError } from "./sdk";
import { createApp } from "./app";
import { loadConfig } from "./config";

/** Starts the plugin server on PORT and shuts it down cleanly on SIGTERM/SIGINT. */
function main(): void {
  let running: ReturnType<typeof createApp>;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
    running = createApp(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const onListening = (): void => {
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    console.log(
      `plugkit: TODO plugin listening on http://localhost:${port} (manifest at /.well-known/ai-plugin.json, auth ${config.auth.type}, database ${config.database.path})`,
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
      ? running.app.listen(config.port, onListening)
      : running.app.listen(config.port, config.host, onListening);
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
      void running.close().then(() => process.exit(0));
    });
    // Idle keep-alive connections would hold close() open; in-flight requests get 10 s.
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGTERM", () => {
    stop("SIGTERM");
  });
  process.on("SIGINT", () => {
    stop("SIGINT");
  });
}

main();
