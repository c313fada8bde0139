import { decode, encode } from "gpt-tokenizer/encoding/cl100k_base";

/** The reference's constants (`services/chunks.py`). */
export const CHUNK_SIZE = 200;
const MIN_CHUNK_SIZE_CHARS = 350;
const MIN_CHUNK_LENGTH_TO_EMBED = 5;
export const MAX_NUM_CHUNKS = 10_000;

const tokens = (text: string): number[] => encode(text, { disallowedSpecial: new Set() });
/** Lengths and positions in code points, as Python counts them. */
const codePoints = (text: string): string[] => Array.from(text);

/**
 * Splits a text as the reference retrieval plugin does: chunks of `chunkSize` cl100k_base
 * tokens, each cut back to its last `.`, `?`, `!` or newline when that falls after 350
 * characters, newlines turned into spaces, chunks of 5 characters or fewer dropped; at most
 * 10,000 chunks, the rest of the text as one last chunk. Returns `tooMany: true` when the text
 * would need more (the caller refuses it rather than store a cut document).
 */
export function chunkText(
  text: string,
  chunkSize = CHUNK_SIZE,
): { chunks: string[]; tooMany: boolean } {
  if (text.trim() === "") return { chunks: [], tooMany: false };
  const all = tokens(text);
  // An offset into the tokens, not a shrinking copy: a 10 MB file has millions of them.
  let start = 0;
  const chunks: string[] = [];
  let count = 0;
  while (start < all.length && count < MAX_NUM_CHUNKS) {
    const chunk = all.slice(start, start + chunkSize);
    let chunkText = decode(chunk);
    if (chunkText.trim() === "") {
      start += chunk.length;
      continue;
    }
    const chars = codePoints(chunkText);
    const last = Math.max(
      chars.lastIndexOf("."),
      chars.lastIndexOf("?"),
      chars.lastIndexOf("!"),
      chars.lastIndexOf("\n"),
    );
    if (last !== -1 && last > MIN_CHUNK_SIZE_CHARS) chunkText = chars.slice(0, last + 1).join("");
    const toAppend = chunkText.replace(/\n/g, " ").trim();
    if (codePoints(toAppend).length > MIN_CHUNK_LENGTH_TO_EMBED) chunks.push(toAppend);
    // As the reference: advance by the cut text's own token count (at least one token).
    start += Math.max(1, tokens(chunkText).length);
    count += 1;
  }
  if (start < all.length) {
    const rest = decode(all.slice(start)).replace(/\n/g, " ").trim();
    if (codePoints(rest).length > MIN_CHUNK_LENGTH_TO_EMBED) chunks.push(rest);
    return { chunks, tooMany: true };
  }
  return { chunks, tooMany: false };
}
