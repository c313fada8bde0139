import request from "supertest";
import { describe, expect, it } from "vitest";
import { chunkText } from "../src/retrieval/chunking";
import { BACKENDS, testApps, type TestApp } from "./helpers/test-app";

describe.each(BACKENDS)("the retrieval plugin on $name", (backend) => {
  const start = testApps(backend);

  const DOCS = [
    {
      id: "doc-tomato",
      text: "Household note: the tomatoes in the greenhouse need watering twice a week during July.",
      metadata: { source: "file", source_id: "garden.md", author: "Ana", created_at: "2024-07-01" },
    },
    {
      id: "doc-invoice",
      text: "Household invoice 1042 from the plumber: the kitchen sink was repaired for 180 euros.",
      metadata: { source: "email", author: "Bo", created_at: "2024-03-15T09:30:00Z" },
    },
    {
      id: "doc-chat",
      text: "Household chat: we agreed that the team offsite happens in Lisbon next spring.",
      metadata: { source: "chat", author: "Ana", created_at: "2023-11-20" },
    },
  ];

  const query = (app: TestApp["app"], queries: unknown[], auth?: string) => {
    const req = request(app).post("/query");
    if (auth !== undefined) req.set("Authorization", auth);
    return req.send({ queries });
  };

  describe("the retrieval API (keyword search, no OPENAI_API_KEY)", () => {
    it("upserts documents and finds them by their words, 3 results by default, scores 0..1", async () => {
      const { app } = await start();
      const upsert = await request(app).post("/upsert").send({ documents: DOCS });
      expect(upsert.status).toBe(200);
      expect(upsert.body).toEqual({ ids: ["doc-tomato", "doc-invoice", "doc-chat"] });

      const res = await query(app, [
        { query: "when should the tomatoes be watered?" },
        { query: "sink" },
      ]);
      expect(res.status).toBe(200);
      const [tomato, sink] = res.body.results as {
        query: string;
        results: { id: string; score: number; metadata: unknown; text: string }[];
      }[];
      expect(tomato?.query).toBe("when should the tomatoes be watered?");
      expect(tomato?.results[0]).toMatchObject({
        id: "doc-tomato_0",
        text: DOCS[0]?.text,
        metadata: { ...DOCS[0]?.metadata, document_id: "doc-tomato" },
        score: 1,
      });
      expect(tomato?.results.length).toBeLessThanOrEqual(3);
      for (const r of tomato?.results ?? []) {
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(1);
      }
      expect(sink?.results.map((r) => r.id)).toEqual(["doc-invoice_0"]);
    });

    it("takes any words, FTS5 syntax included, without a syntax error", async () => {
      const { app } = await start();
      await request(app).post("/upsert").send({ documents: DOCS });
      for (const q of [
        '"unbalanced',
        "NEAR(a b",
        "tomato* OR",
        "col:umn",
        "'; DROP TABLE chunks; --",
        "???",
      ]) {
        const res = await query(app, [{ query: q }]);
        expect(res.status, q).toBe(200);
      }
    });

    it("filters by document, source, author and creation dates", async () => {
      const { app } = await start();
      await request(app).post("/upsert").send({ documents: DOCS });
      const ids = async (filter: Record<string, string>) =>
        (
          (await query(app, [{ query: "household", filter, top_k: 10 }])).body.results[0]
            .results as {
            id: string;
          }[]
        )
          .map((r) => r.id)
          .sort();
      expect(await ids({ source: "chat" })).toEqual(["doc-chat_0"]);
      expect(await ids({ author: "Ana" })).toEqual(["doc-chat_0", "doc-tomato_0"]);
      expect(await ids({ document_id: "doc-invoice" })).toEqual(["doc-invoice_0"]);
      expect(await ids({ start_date: "2024-01-01" })).toEqual(["doc-invoice_0", "doc-tomato_0"]);
      // A date alone as the end includes that whole day.
      expect(await ids({ end_date: "2024-03-15" })).toEqual(["doc-chat_0", "doc-invoice_0"]);
      expect(await ids({ start_date: "2024-03-15T10:00:00Z", end_date: "2024-12-31" })).toEqual([
        "doc-tomato_0",
      ]);
    });

    it("replaces a re-upserted document's chunks, all at once", async () => {
      const { app } = await start();
      const long = Array.from(
        { length: 60 },
        (_, i) => `Sentence ${i} is about the old roof.`,
      ).join(" ");
      await request(app)
        .post("/upsert")
        .send({ documents: [{ id: "roof", text: long }] });
      const before = await query(app, [{ query: "roof", top_k: 50 }]);
      expect((before.body.results[0].results as unknown[]).length).toBeGreaterThan(1);
      await request(app)
        .post("/upsert")
        .send({ documents: [{ id: "roof", text: "The new roof is slate." }] });
      const after = await query(app, [{ query: "roof", top_k: 50 }]);
      expect(
        (after.body.results[0].results as { id: string; text: string }[]).map((r) => [
          r.id,
          r.text,
        ]),
      ).toEqual([["roof_0", "The new roof is slate."]]);
    });

    it("keeps one whole version of a document upserted by two instances at once", async () => {
      const first = await start();
      // A second instance on the same database, as a deployment with two machines has.
      const second = await start({ DATABASE_URL: first.databaseUrl });
      const version = (v: number) =>
        Array.from({ length: 40 }, (_, i) => `Version ${v} sentence ${i} about the shed.`).join(
          " ",
        );
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, v) =>
          request((v % 2 === 0 ? first : second).app)
            .post("/upsert")
            .send({ documents: [{ id: "shed", text: version(v) }] }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      const res = await query(first.app, [{ query: "shed", top_k: 50 }]);
      const texts = (res.body.results[0].results as { text: string }[]).map((r) => r.text);
      const versions = new Set(texts.map((t) => /^Version (\d)/.exec(t)?.[1]));
      expect(versions.size).toBe(1);
      // All of that version's chunks: none lost, none left over from another.
      expect(texts.length).toBe(chunkText(version(0)).chunks.length);
    });

    it("makes an id when none is given, and refuses the same id twice in one request", async () => {
      const { app } = await start();
      const made = await request(app)
        .post("/upsert")
        .send({ documents: [{ text: "no id here, made one" }] });
      expect(made.body.ids[0]).toMatch(/^[0-9a-f-]{36}$/);
      const twice = await request(app)
        .post("/upsert")
        .send({
          documents: [
            { id: "a", text: "one" },
            { id: "a", text: "two" },
          ],
        });
      expect(twice.status).toBe(400);
      expect(twice.body.message).toBe("documents[1].id: a is given twice.");
    });

    it("deletes by ids, by filter or everything, and answers 400 when told nothing", async () => {
      const { app } = await start();
      await request(app).post("/upsert").send({ documents: DOCS });
      const count = async () =>
        (
          (await query(app, [{ query: "household", top_k: 50 }])).body.results[0]
            .results as unknown[]
        ).length;
      expect(await count()).toBe(3);
      for (const nothing of [{}, { ids: [] }, { filter: {} }, { delete_all: false }]) {
        const res = await request(app).delete("/delete").send(nothing);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe("nothing_to_delete");
      }
      expect(await count()).toBe(3);
      expect(
        (
          await request(app)
            .delete("/delete")
            .send({ ids: ["doc-chat"] })
        ).body,
      ).toEqual({ success: true });
      expect(await count()).toBe(2);
      await request(app)
        .delete("/delete")
        .send({ filter: { source: "email" } });
      expect(await count()).toBe(1);
      await request(app).delete("/delete").send({ delete_all: true });
      expect(await count()).toBe(0);
    });

    it("refuses invalid requests with 400 naming the field, and loses nothing", async () => {
      const { app } = await start();
      await request(app).post("/upsert").send({ documents: DOCS });
      const bad = [
        [{ queries: [] }, "queries"],
        [{ queries: [{ query: "x", top_k: 0 }] }, "top_k"],
        [{ queries: [{ query: "x", top_k: 51 }] }, "top_k"],
        [{ queries: [{ query: "x", filter: { source: "fax" } }] }, "source"],
        [{ queries: [{ query: "" }] }, "query"],
        [{ queries: Array.from({ length: 3 }, () => ({ query: "x", top_k: 50 })) }, "150 results"],
      ] as const;
      for (const [body, field] of bad) {
        const res = await request(app).post("/query").send(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.message).toContain(field);
      }
      const upsert = await request(app)
        .post("/upsert")
        .send({ documents: [{ text: "x", metadata: { created_at: "last tuesday" } }] });
      expect(upsert.status).toBe(400);
      expect(upsert.body.message).toContain("created_at");
      expect(
        (
          (await query(app, [{ query: "household", top_k: 50 }])).body.results[0]
            .results as unknown[]
        ).length,
      ).toBe(3);
    });

    it("keeps every answer under 100,000 characters, cutting long texts with a note", async () => {
      const { app } = await start();
      const documents = Array.from({ length: 100 }, (_, i) => ({
        id: `d${i}`,
        text: `${"lorem ipsum ".repeat(80)}common${i}`,
      }));
      await request(app).post("/upsert").send({ documents });
      // 100 results in all, the most one request may ask for.
      const queries = Array.from({ length: 20 }, () => ({ query: "lorem", top_k: 5 }));
      const res = await query(app, queries);
      expect(res.status).toBe(200);
      expect(res.text.length).toBeLessThan(100_000);
      expect(res.text.length).toBeGreaterThan(80_000);
      const texts = (res.body.results as { results: { text: string }[] }[]).flatMap((r) =>
        r.results.map((c) => c.text),
      );
      expect(texts.length).toBe(100);
      expect(texts.every((t) => /… \[truncated: \d+ of \d+ characters\]$/.test(t))).toBe(true);
    });
  });

  describe("auth and whose documents", () => {
    it("with user_http, each account searches only its own documents", async () => {
      const testApp = await start({ PLUGIN_AUTH: "user_http" });
      const { app, accounts } = testApp;
      await accounts.create("alice", "alice-password");
      await accounts.create("bob", "bob-password-1");
      const alice = `Bearer ${(await accounts.issueToken("alice")).token}`;
      const bob = `Bearer ${(await accounts.issueToken("bob")).token}`;
      await request(app)
        .post("/upsert")
        .set("Authorization", alice)
        .send({ documents: [{ id: "same-id", text: "alice's secret recipe" }] });
      await request(app)
        .post("/upsert")
        .set("Authorization", bob)
        .send({ documents: [{ id: "same-id", text: "bob's bicycle notes" }] });
      const mine = await query(app, [{ query: "recipe bicycle", top_k: 10 }], alice);
      expect((mine.body.results[0].results as { text: string }[]).map((r) => r.text)).toEqual([
        "alice's secret recipe",
      ]);
      await request(app).delete("/delete").set("Authorization", bob).send({ delete_all: true });
      const still = await query(app, [{ query: "recipe", top_k: 10 }], alice);
      expect((still.body.results[0].results as unknown[]).length).toBe(1);
      expect((await query(app, [{ query: "recipe" }])).status).toBe(401);
    });

    it("with oauth, a call without a token is sent to the authorization server's metadata", async () => {
      const { app } = await start({ PLUGIN_AUTH: "oauth" });
      const res = await query(app, [{ query: "x" }]);
      expect(res.status).toBe(401);
      expect(res.headers["www-authenticate"]).toMatch(
        /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"/,
      );
      const metadata = await request(app).get("/.well-known/oauth-authorization-server");
      expect(metadata.status).toBe(200);
      expect(metadata.body.code_challenge_methods_supported).toEqual(["S256"]);
    });

    it("with service_http, the key is required; the manifest says bearer", async () => {
      const key = "s".repeat(40);
      const { app } = await start({ PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: key });
      expect((await query(app, [{ query: "x" }])).status).toBe(401);
      expect((await query(app, [{ query: "x" }], `Bearer ${key}`)).status).toBe(200);
      const manifest = await request(app).get("/.well-known/ai-plugin.json");
      expect(manifest.body.auth).toMatchObject({
        type: "service_http",
        authorization_type: "bearer",
      });
    });

    it("without auth (the localhost flow), serves the manifest saying keyword search, and the spec", async () => {
      const { app } = await start();
      const manifest = await request(app)
        .get("/.well-known/ai-plugin.json")
        .set("Host", "localhost:3333");
      expect(manifest.body.auth).toEqual({ type: "none" });
      expect(manifest.body.description_for_model).toContain("by words (BM25), not meaning");
      expect(manifest.body.api.url).toBe("http://localhost:3333/openapi.yaml");
      const spec = await request(app).get("/openapi.json");
      expect(Object.keys(spec.body.paths).sort()).toEqual(["/delete", "/query", "/upsert"]);
    });
  });
});
