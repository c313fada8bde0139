import { HttpError } from "plugkit";

/** Turns texts into vectors. */
export interface Embedder {
  /** The vectors of `texts`, in order, each `dimensions` long. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  readonly dimensions: number;
}

/** Options for {@link openAiEmbedder}. */
export interface OpenAiEmbedderOptions {
  apiKey: string;
  /** @default "https://api.openai.com/v1" */
  baseUrl?: string;
  /** @default "text-embedding-3-large" */
  model?: string;
  /** @default 256 */
  dimensions?: number;
  /** Texts per request. @default 128 (the reference's batch size) */
  batchSize?: number;
  /** Per attempt. @default 30000 */
  timeoutMs?: number;
  /** Attempts per batch, for 429s, 5xx and network errors. @default 3 */
  attempts?: number;
  fetch?: typeof fetch;
}

const EMBEDDING_FAILED = "embeddings_unavailable";

/**
 * OpenAI's `/v1/embeddings` over `fetch` (floats, not base64), in batches, each attempt with a
 * timeout, retried with backoff (honouring `Retry-After`) on 429, 5xx and network errors. A
 * failure that outlasts the attempts is a 502 the client may retry; nothing is stored then.
 */
export function openAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const {
    apiKey,
    baseUrl = "https://api.openai.com/v1",
    model = "text-embedding-3-large",
    dimensions = 256,
    batchSize = 128,
    timeoutMs = 30_000,
    attempts = 3,
    fetch: fetchImpl = fetch,
  } = options;

  const embedBatch = async (input: readonly string[]): Promise<Float32Array[]> => {
    let lastProblem = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let res: Response;
      try {
        res = await fetchImpl(`${baseUrl.replace(/\/$/, "")}/embeddings`, {
          method: "POST",
          headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
          body: JSON.stringify({ model, input, dimensions, encoding_format: "float" }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
        if (attempt < attempts) await pause(attempt, undefined);
        continue;
      }
      if (res.ok) {
        const body = (await res.json()) as { data?: { index: number; embedding: number[] }[] };
        const data = body.data ?? [];
        if (data.length !== input.length || data.some((d) => d.embedding.length !== dimensions)) {
          throw new HttpError(502, "The embeddings service answered with the wrong shape.", {
            code: EMBEDDING_FAILED,
          });
        }
        return [...data]
          .sort((a, b) => a.index - b.index)
          .map((d) => Float32Array.from(d.embedding));
      }
      lastProblem = `HTTP ${res.status}`;
      await res.body?.cancel();
      if (res.status !== 429 && res.status < 500) break;
      if (attempt < attempts) await pause(attempt, res.headers.get("retry-after"));
    }
    throw new HttpError(
      502,
      `The embeddings service did not answer (${lastProblem}); nothing was stored. Retry shortly.`,
      { code: EMBEDDING_FAILED, headers: { "Retry-After": "5" } },
    );
  };

  return {
    dimensions,
    embed: async (texts) => {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        out.push(...(await embedBatch(texts.slice(i, i + batchSize))));
      }
      return out;
    },
  };
}

async function pause(attempt: number, retryAfter: string | null | undefined): Promise<void> {
  const seconds = Number(retryAfter);
  const ms =
    Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 10_000) : 250 * 2 ** attempt;
  await new Promise((resolve) => setTimeout(resolve, ms));
}
