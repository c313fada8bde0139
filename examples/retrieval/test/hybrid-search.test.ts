import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, testApps, type TestApp } from "./helpers/test-app";
import { startFakeEmbeddings, type FakeEmbeddings } from "./helpers/fake-embeddings";

let fake: FakeEmbeddings;
beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.requests.length = 0;
  fake.failNext(0, 500);
});

describe.each(BACKENDS)("on $name", (backend) => {
  const start = testApps(backend, () => ({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url }));
  const keywordOnly = testApps(backend);

  const DOCS = [
    { id: "car", text: "The car is booked for its annual service at the garage." },
    { id: "cake", text: "Lemon cake: flour, eggs and the zest of two lemons." },
  ];
  const ids = async (app: TestApp["app"], query: string) =>
    (
      (
        await request(app)
          .post("/query")
          .send({ queries: [{ query }] })
      ).body.results[0].results as { id: string }[]
    ).map((r) => r.id);

  describe("hybrid search (OPENAI_API_KEY set; a fake embeddings server here)", () => {
    it("finds a document by meaning where its words differ, and says so in the manifest", async () => {
      const { app } = await start();
      await request(app).post("/upsert").send({ documents: DOCS });
      expect((await ids(app, "automobile maintenance"))[0]).toBe("car_0");
      expect(fake.requests[0]).toMatchObject({
        model: "text-embedding-3-large",
        dimensions: 256,
        encoding_format: "float",
        input: [DOCS[0]?.text, DOCS[1]?.text],
      });
      const manifest = await request(app).get("/.well-known/ai-plugin.json");
      expect(manifest.body.description_for_model).toContain(
        "combines meaning (embeddings) and words (BM25)",
      );
    });

    it("retries a failing embeddings service, and stores nothing when it keeps failing (502)", async () => {
      const { app } = await start();
      fake.failNext(2, 503);
      expect((await request(app).post("/upsert").send({ documents: DOCS })).status).toBe(200);
      expect(fake.requests).toHaveLength(3);
      fake.failNext(3, 500);
      const failed = await request(app)
        .post("/upsert")
        .send({ documents: [{ id: "new", text: "A brand new document about gardening." }] });
      expect(failed.status).toBe(502);
      expect(failed.body.error).toBe("embeddings_unavailable");
      expect(failed.headers["retry-after"]).toBe("5");
      expect(await ids(app, "gardening")).not.toContain("new_0");
    });

    it("embeds documents stored before the key was set, with embedMissing", async () => {
      const keyword = await keywordOnly();
      await request(keyword.app).post("/upsert").send({ documents: DOCS });
      await keyword.close();
      // The same database, now with the key: the old chunks have no embedding yet.
      const hybrid = await start({ DATABASE_URL: keyword.databaseUrl });
      expect(await hybrid.services.retrieval.embedMissing()).toBe(2);
      expect(await hybrid.services.retrieval.embedMissing()).toBe(0);
      expect((await ids(hybrid.app, "automobile"))[0]).toBe("car_0");
    });
  });
});
