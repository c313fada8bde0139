import type { PluginDatabase, PluginMigrations } from "plugkit";
import { ConfigError } from "plugkit";
import type { AppConfig } from "./config";
import { openAiEmbedder } from "./retrieval/embeddings";
import { createRetrievalService, type RetrievalService } from "./retrieval/retrieval-service";
import { RETRIEVAL_MIGRATIONS, createSqliteDocumentStore } from "./store/document-store";

/** This plugin's tables, migrated at start-up after plugkit's own. */
export const MIGRATIONS: readonly PluginMigrations[] = [RETRIEVAL_MIGRATIONS];

/** What every controller is constructed with. */
export interface AppServices {
  retrieval: RetrievalService;
}

/** Builds the services on the plugin's database (opened with {@link MIGRATIONS}). */
export function createServices(database: PluginDatabase, config: AppConfig): AppServices {
  if (database.kind !== "sqlite") {
    throw new ConfigError(
      "DATABASE_URL: the retrieval plugin stores documents in SQLite only (file:...); PostgreSQL is not supported yet",
    );
  }
  const embedder = config.embeddings === undefined ? undefined : openAiEmbedder(config.embeddings);
  return {
    retrieval: createRetrievalService({
      store: createSqliteDocumentStore(database.sqlite),
      embedder,
    }),
  };
}
