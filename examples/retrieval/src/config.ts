import { loadPluginConfig, type Env, type PluginConfig } from "plugkit";
import type { OpenAiEmbedderOptions } from "./retrieval/embeddings";

/** plugkit's settings and the retrieval plugin's own. */
export interface AppConfig extends PluginConfig {
  /** With `OPENAI_API_KEY`: hybrid search (embeddings and BM25). Without: keyword search. */
  embeddings: OpenAiEmbedderOptions | undefined;
  /** `MAX_UPLOAD_MB`: the largest file `POST /upsert-file` takes. @default 10 MB */
  maxUploadBytes: number;
}

/** Reads and validates every variable at once (see the README's configuration table). */
export function loadConfig(env: Env = process.env): AppConfig {
  return loadPluginConfig({
    env,
    extend: (read) => {
      const apiKey = read.string("OPENAI_API_KEY");
      const baseUrl = read.httpUrl("OPENAI_BASE_URL", "https://api.openai.com/v1");
      const model = read.string("EMBEDDING_MODEL") ?? "text-embedding-3-large";
      const timeoutMs = read.wholeNumber("EMBEDDING_TIMEOUT_MS", 30_000, {
        min: 1_000,
        max: 120_000,
      });
      const maxUploadBytes =
        read.wholeNumber("MAX_UPLOAD_MB", 10, { min: 1, max: 100 }) * 1024 * 1024;
      return {
        maxUploadBytes,
        embeddings:
          apiKey === undefined ? undefined : { apiKey, baseUrl, model, dimensions: 256, timeoutMs },
      };
    },
  });
}
