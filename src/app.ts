import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Express } from "express";
import { RegisterRoutes } from "../generated/routes";
import { createPluginApp, loadGeneratedFiles, type ErrorLogger } from "./sdk";
import type { AppConfig } from "./config";
import type { AppServices } from "./services";
import { openTodoStore } from "./todos/open-todo-store";

/** The project root: generated/ and assets/ are found from here, in src/ and in dist/src/ alike. */
const ROOT = join(__dirname, basename(dirname(__dirname)) === "dist" ? "../.." : "..");

/** A running app and what it holds open. */
export interface App {
  app: Express;
  services: AppServices;
  /** Releases the database. */
  close(): Promise<void>;
}

/**
 * The composition root: opens the store, loads the generated manifest and spec, and builds the
 * plugin app. It does not listen (see server.ts).
 */
export function createApp(config: AppConfig, options: { logger?: ErrorLogger } = {}): App {
  const { manifest, spec } = loadGeneratedFiles(join(ROOT, "generated"));
  const logo = readFileSync(join(ROOT, "assets", "logo.png"));
  const todos = openTodoStore(config.database);
  const services: AppServices = { todos };
  const app = createPluginApp({
    registerRoutes: RegisterRoutes,
    manifest,
    spec,
    logo,
    services,
    publicUrl: config.publicUrl,
    corsOrigins: config.corsOrigins,
    trustForwardedHeaders: config.trustForwardedHeaders,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { app, services, close: () => todos.close() };
}
