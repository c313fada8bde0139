import {
  closePluginApp,
  createLogger,
  createPluginApp,
  openPluginDatabase,
  type RunnablePlugin,
} from "plugkit";
import multer from "multer";
import { RegisterRoutes } from "../generated/routes";
import { loadConfig, type AppConfig } from "./config";
import { MIGRATIONS, createServices } from "./services";

/** What the model is told, by search mode: the manifest says honestly which one is on. */
const DESCRIPTIONS = {
  keyword:
    "Search the user's documents (notes, emails, files) by keyword when they ask about their own information. Matching is by words (BM25), not meaning: use the words the documents would contain, and try synonyms in further queries when the first finds nothing. Use upsert only when the user asks to save something, and delete only when asked.",
  hybrid:
    "Search the user's documents (notes, emails, files) when they ask about their own information. Matching combines meaning (embeddings) and words (BM25). Break complex questions into several queries. Use upsert only when the user asks to save something, and delete only when asked.",
} as const;

/** Options for tests: where the app logs. */
export interface CreateAppOptions {
  logger?: ReturnType<typeof createLogger>;
}

export interface App extends RunnablePlugin {
  close(): Promise<void>;
  config: AppConfig;
  services: ReturnType<typeof createServices>;
  database: ReturnType<typeof openPluginDatabase>;
}

/**
 * Builds the retrieval plugin: the database (plugkit's accounts and tokens, and the chunks), the
 * search (keyword, or hybrid with OPENAI_API_KEY), and the app. It does not listen (see
 * server.ts).
 */
export function createApp(config: AppConfig = loadConfig(), options: CreateAppOptions = {}): App {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database = openPluginDatabase(config.database, { migrations: MIGRATIONS, logger });
  try {
    const services = createServices(database, config);
    const app = createPluginApp({
      root: __dirname,
      // Uploads in memory, within limits: one file of at most MAX_UPLOAD_MB, a few small fields.
      registerRoutes: (router) => {
        RegisterRoutes(router, {
          multer: multer({
            storage: multer.memoryStorage(),
            limits: {
              fileSize: config.maxUploadBytes,
              files: 1,
              fields: 10,
              fieldSize: 64 * 1024,
              parts: 12,
            },
          }),
        });
      },
      config,
      database,
      services,
      logger,
      descriptions: { forModel: DESCRIPTIONS[services.retrieval.mode] },
      accountNote: "Each user has their own documents: searches see only the caller's.",
    });
    const close = async (): Promise<void> => {
      await closePluginApp(app);
      await database.close();
    };
    return { app, config, name: "Retrieval", close, services, database };
  } catch (error) {
    void database.close();
    throw error;
  }
}
