import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { getPluginContext } from "../../src";

const app = express();
app.get("/ctx", (req, res) => {
  const { log, ...context } = getPluginContext(req);
  res.json({ ...context, logs: typeof log.info === "function" });
});

describe("getPluginContext", () => {
  it("gives typed access to the headers ChatGPT sends", async () => {
    const res = await request(app)
      .get("/ctx")
      .set("openai-ephemeral-user-id", "user-123")
      .set("openai-conversation-id", "conv-9")
      .set("openai-subdivision-1-iso-code", "US-CA");
    expect(res.body).toEqual({
      caller: { kind: "anonymous" },
      ephemeralUserId: "user-123",
      conversationId: "conv-9",
      subdivision: "US-CA",
      logs: true,
    });
  });

  it("leaves absent, empty, oversized or malformed values undefined", async () => {
    const res = await request(app)
      .get("/ctx")
      .set("openai-ephemeral-user-id", "")
      .set("openai-conversation-id", "x".repeat(500))
      .set("openai-subdivision-1-iso-code", "<script>");
    expect(res.body).toEqual({ caller: { kind: "anonymous" }, logs: true });
  });

  it("accepts a country without a region", async () => {
    const res = await request(app).get("/ctx").set("openai-subdivision-1-iso-code", "DE");
    expect(res.body.subdivision).toBe("DE");
  });
});
