import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Words that mean the same to the fake model: a tiny stand-in for what real embeddings know
 * and BM25 does not (a query for "automobile" finds a document about a "car").
 */
const SYNONYMS: readonly (readonly string[])[] = [
  ["car", "automobile", "vehicle", "sedan"],
  ["doctor", "physician", "gp"],
  ["holiday", "vacation", "trip", "leave"],
  ["salary", "pay", "wage", "compensation", "payroll"],
  ["laptop", "computer", "notebook", "pc"],
  ["buy", "purchase", "order", "bought", "ordered", "purchased"],
  ["fix", "repair", "mend", "repaired", "fixed"],
  ["house", "home", "apartment", "flat"],
  ["dog", "puppy", "canine", "vet"],
  ["meeting", "call", "sync", "standup"],
];
const CONCEPT = new Map<string, string>();
for (const group of SYNONYMS) for (const word of group) CONCEPT.set(word, group[0] ?? word);

/** A deterministic 256-dimension embedding: hashed concepts, normalised. */
export function fakeEmbedding(text: string, dimensions = 256): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const word = raw.length > 3 && raw.endsWith("s") ? raw.slice(0, -1) : raw;
    const concept = CONCEPT.get(word) ?? word;
    const hash = createHash("sha256").update(concept).digest();
    const slot = hash.readUInt16BE(0) % dimensions;
    vector[slot] = (vector[slot] ?? 0) + 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

/** A fake of OpenAI's `/v1/embeddings` on 127.0.0.1, with failures on demand. */
export interface FakeEmbeddings {
  url: string;
  /** Requests received, with their bodies. */
  requests: { model: string; input: string[]; dimensions: number; encoding_format: string }[];
  /** Answers the next `n` requests with `status`. */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

export async function startFakeEmbeddings(apiKey = "sk-test"): Promise<FakeEmbeddings> {
  const requests: FakeEmbeddings["requests"] = [];
  let failures = 0;
  let failStatus = 500;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        res.writeHead(401, { "content-type": "application/json" }).end('{"error":{}}');
        return;
      }
      const parsed = JSON.parse(body) as FakeEmbeddings["requests"][number];
      requests.push(parsed);
      if (failures > 0) {
        failures -= 1;
        res.writeHead(failStatus, { "content-type": "application/json", "retry-after": "0" });
        res.end('{"error":{"message":"fake failure"}}');
        return;
      }
      const data = parsed.input.map((text, index) => ({
        object: "embedding",
        index,
        embedding: fakeEmbedding(text, parsed.dimensions),
      }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data, model: parsed.model }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (n, status) => {
      failures = n;
      failStatus = status;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
