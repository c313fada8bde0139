import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/errors";
import { createLogger } from "../../src/logging/logger";
import { createPluginApp } from "../../src/server/create-plugin-app";
import { mapError } from "../../src/server/error-handler";
import { TEST_MANIFEST, TEST_SPEC } from "../fixtures";

describe("mapError", () => {
  it("uses an HttpError's status, code, fields and headers", () => {
    const mapped = mapError(
      new HttpError(429, "Slow down.", { code: "rate_limited", headers: { "Retry-After": "3" } }),
      "r",
    );
    expect(mapped).toEqual({
      status: 429,
      body: { error: "rate_limited", message: "Slow down." },
      headers: { "Retry-After": "3" },
    });
  });

  it("answers multer's upload limits with 413 and a malformed multipart body with 400", () => {
    const tooLarge = Object.assign(new Error("File too large"), {
      name: "MulterError",
      code: "LIMIT_FILE_SIZE",
      field: "file",
    });
    expect(mapError(tooLarge, "r")).toEqual({
      status: 413,
      body: { error: "payload_too_large", message: "File too large (file)." },
      headers: {},
    });
    const unexpected = Object.assign(new Error("Unexpected field"), {
      name: "MulterError",
      code: "LIMIT_UNEXPECTED_FILE",
      field: "other",
    });
    expect(mapError(unexpected, "r").status).toBe(400);
    expect(mapError(new Error("Unexpected end of form"), "r")).toMatchObject({
      status: 400,
      body: { error: "malformed_multipart" },
    });
  });

  it("hides the message of an unknown error", () => {
    const mapped = mapError(new Error("secret connection string"), "r1");
    expect(mapped.status).toBe(500);
    expect(JSON.stringify(mapped.body)).not.toContain("secret");
  });

  it("answers SQLite's busy timeout with a 503 the client may retry", () => {
    const busy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    expect(mapError(busy, "r")).toEqual({
      status: 503,
      body: {
        error: "database_busy",
        message: "The database is busy with other writes; retry in a moment.",
      },
      headers: { "Retry-After": "1" },
    });
  });

  it("refuses an HttpError status outside 400-599", () => {
    expect(() => new HttpError(200, "ok")).toThrow(RangeError);
  });
});

describe("the response size guard", () => {
  it("refuses and logs a JSON answer over maxResponseChars instead of sending what the platform would drop", async () => {
    const logged: Record<string, unknown>[] = [];
    const app = createPluginApp({
      registerRoutes: (router) => {
        router.get("/small", (_req, res) => {
          res.json({ ok: true });
        });
        router.get("/big", (_req, res) => {
          res.json({ items: "x".repeat(200) });
        });
      },
      manifest: TEST_MANIFEST,
      spec: TEST_SPEC,
      logo: readFileSync(join(__dirname, "..", "..", "templates", "init", "assets", "logo.png")),
      maxResponseChars: 100,
      logger: createLogger({
        destination: { write: (line) => logged.push(JSON.parse(line) as Record<string, unknown>) },
      }),
    });
    expect((await request(app).get("/small")).body).toEqual({ ok: true });
    const big = await request(app).get("/big");
    expect(big.status).toBe(500);
    expect(big.body.error).toBe("response_too_large");
    expect(big.body.message).toContain("over the 100 the assistant accepts");
    const problems = logged.filter((line) => line["level"] === "error");
    expect(problems).toEqual([
      expect.objectContaining({
        msg: "response too large",
        path: "/big",
        request_id: big.headers["x-request-id"],
      }),
    ]);
  });
});
