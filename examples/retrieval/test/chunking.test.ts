import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { describe, expect, it } from "vitest";
import { MAX_NUM_CHUNKS, chunkText } from "../src/retrieval/chunking";

describe("chunkText, as the reference chunks", () => {
  it("keeps a short text whole, newlines as spaces, and drops texts of 5 characters or fewer", () => {
    expect(chunkText("Hello\nworld, this is short.")).toEqual({
      chunks: ["Hello world, this is short."],
      tooMany: false,
    });
    expect(chunkText("tiny.")).toEqual({ chunks: [], tooMany: false });
    expect(chunkText("   \n ")).toEqual({ chunks: [], tooMany: false });
  });

  it("cuts 200-token chunks back to their last sentence end past 350 characters", () => {
    const sentence = "The quick brown fox jumps over the lazy dog near the river bank. ";
    const { chunks } = chunkText(sentence.repeat(60));
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(0, -1)) {
      expect(encode(chunk).length).toBeLessThanOrEqual(200);
      expect(chunk.endsWith(".")).toBe(true);
      expect(chunk.length).toBeGreaterThan(350);
    }
    // Nothing is lost: the chunks hold every sentence.
    expect(chunks.join(" ").split("fox").length - 1).toBe(60);
  });

  it("keeps a chunk whole when its last sentence end comes before 350 characters", () => {
    const text = `Short start. ${"word ".repeat(400)}`;
    const first = chunkText(text).chunks[0] ?? "";
    expect(encode(first).length).toBeGreaterThan(190);
  });

  it("says when a text needs more than 10,000 chunks", () => {
    const huge = "alpha beta gamma delta. ".repeat(Math.ceil((MAX_NUM_CHUNKS * 200) / 5) + 100);
    const { chunks, tooMany } = chunkText(huge);
    expect(tooMany).toBe(true);
    expect(chunks.length).toBe(MAX_NUM_CHUNKS + 1);
  }, 120_000);
});
