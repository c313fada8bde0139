import type { PluginDatabase, PluginMigrations } from "plugkit";
import type { AppConfig } from "./config";
import { openAiEmbedder } from "./retrieval/embeddings";
import { createRetrievalService, type RetrievalService } from "./retrieval/retrieval-service";
import { RETRIEVAL_MIGRATIONS, createSqliteDocumentStore } from "./store/document-store";
import { createPostgresDocumentStore } from "./store/postgres-document-store";

/** This plugin's tables, migrated at start-up after plugkit's own. */
export const MIGRATIONS: readonly PluginMigrations[] = [RETRIEVAL_MIGRATIONS];

/** What every controller is constructed with. */
export interface AppServices {
  retrieval: RetrievalService;
}

/** Builds the services on the plugin's database (opened with {@link MIGRATIONS}). */
export function createServices(database: PluginDatabase, config: AppConfig): AppServices {
  const embedder = config.embeddings === undefined ? undefined : openAiEmbedder(config.embeddings);
  return {
    retrieval: createRetrievalService({
      store:
        database.kind === "sqlite"
          ? createSqliteDocumentStore(database.sqlite)
          : createPostgresDocumentStore(database.postgres),
      embedder,
    }),
  };
}
