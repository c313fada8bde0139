import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { testApps, type TestApp } from "./helpers/test-app";

const FIXTURES = join(__dirname, "fixtures");
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

const start = testApps();

async function firstHit(app: TestApp["app"], words: string) {
  const res = await request(app)
    .post("/query")
    .send({ queries: [{ query: words }] });
  return (res.body.results[0].results as { text: string; metadata: Record<string, string> }[])[0];
}

describe("POST /upsert-file", () => {
  it.each([
    ["notes.md", "tomatoes watering", "The tomatoes need watering twice a week in July."],
    ["plants.csv", "fern shade", "plant: fern, water: weekly, sun: shade"],
    ["manual.pdf", "impeller gasket", "Replace the impeller gasket every 500 operating hours."],
    [
      "report.docx",
      "Fresnel lens",
      "The lantern room was repainted and the Fresnel lens cleaned in March.",
    ],
  ])(
    "reads %s and makes its text searchable, as a file from that source",
    async (name, words, text) => {
      const { app } = await start();
      const res = await request(app)
        .post("/upsert-file")
        .attach("file", fixture(name), name)
        .field("metadata", JSON.stringify({ author: "Ana", created_at: "2024-05-01" }));
      expect(res.status, res.text).toBe(200);
      expect(res.body.ids).toHaveLength(1);
      const hit = await firstHit(app, words);
      expect(hit?.text).toContain(text);
      expect(hit?.metadata).toMatchObject({
        source: "file",
        source_id: name,
        author: "Ana",
        created_at: "2024-05-01",
        document_id: res.body.ids[0],
      });
    },
  );

  it("refuses a damaged PDF or Word file with 422, and an unknown type with 415", async () => {
    const { app } = await start();
    for (const name of ["broken.pdf", "broken.docx"]) {
      const res = await request(app).post("/upsert-file").attach("file", fixture(name), name);
      expect(res.status, name).toBe(422);
      expect(res.body.error).toBe("unreadable_file");
    }
    const latin1 = await request(app)
      .post("/upsert-file")
      .attach("file", fixture("latin1.txt"), "latin1.txt");
    expect(latin1.status).toBe(422);
    expect(latin1.body.message).toContain("not UTF-8");
    const exe = await request(app)
      .post("/upsert-file")
      .attach("file", Buffer.from("MZ"), "tool.exe");
    expect(exe.status).toBe(415);
    expect(exe.body.message).toContain(
      ".txt (plain text), .md (Markdown), .csv (CSV), .pdf (PDF), .docx (Word)",
    );
  });

  it("refuses a file over MAX_UPLOAD_MB with 413, a malformed body with 400, bad metadata with 400", async () => {
    const { app } = await start({ MAX_UPLOAD_MB: "1" });
    const big = await request(app)
      .post("/upsert-file")
      .attach("file", Buffer.alloc(1024 * 1024 + 1, "a"), "big.txt");
    expect(big.status).toBe(413);
    expect(big.body.error).toBe("payload_too_large");
    const malformed = await request(app)
      .post("/upsert-file")
      .set("Content-Type", "multipart/form-data; boundary=xyz")
      .send(
        '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated',
      );
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe("malformed_multipart");
    const metadata = await request(app)
      .post("/upsert-file")
      .attach("file", fixture("notes.md"), "notes.md")
      .field("metadata", "{not json");
    expect(metadata.status).toBe(400);
    expect(metadata.body.message).toContain("metadata must be a JSON object");
    const missing = await request(app).post("/upsert-file").field("metadata", "{}");
    expect(missing.status).toBe(400);
    // Nothing was stored by any of them.
    expect(await firstHit(app, "tomatoes")).toBeUndefined();
  });
});
