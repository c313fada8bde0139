import { extname } from "node:path";
import { HttpError } from "plugkit";

/** The file types `POST /upsert-file` reads, by extension. */
export const FILE_TYPES = {
  ".txt": "plain text",
  ".md": "Markdown",
  ".csv": "CSV",
  ".pdf": "PDF",
  ".docx": "Word",
} as const;

type Extension = keyof typeof FILE_TYPES;

const MIME_EXTENSIONS: Record<string, Extension> = {
  "text/plain": ".txt",
  "text/markdown": ".md",
  "text/csv": ".csv",
  "application/pdf": ".pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
};

function unreadable(what: string, detail?: string): HttpError {
  return new HttpError(
    422,
    `The file could not be read as ${what}${detail === undefined ? "" : ` (${detail})`}: is it damaged?`,
    { code: "unreadable_file" },
  );
}

function utf8(buffer: Buffer, what: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer).replace(/^\uFEFF/, "");
  } catch {
    throw unreadable(what, "it is not UTF-8 text");
  }
}

async function pdfText(buffer: Buffer): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let document;
  try {
    document = await pdfjs.getDocument({
      data: new Uint8Array(buffer),
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw unreadable("PDF", error instanceof Error ? error.message : undefined);
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      pages.push(
        content.items
          .map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : ""))
          .join(""),
      );
    }
    return pages.join("\n\n");
  } finally {
    await document.destroy();
  }
}

async function docxText(buffer: Buffer): Promise<string> {
  const mammoth = await import("mammoth");
  try {
    return (await mammoth.extractRawText({ buffer })).value;
  } catch (error) {
    throw unreadable("a Word document", error instanceof Error ? error.message : undefined);
  }
}

async function csvText(buffer: Buffer): Promise<string> {
  const text = utf8(buffer, "CSV");
  const { parse } = await import("csv-parse/sync");
  let rows: string[][];
  try {
    const parsed: unknown = parse(text, { relax_column_count: true, skip_empty_lines: true });
    rows = parsed as string[][];
  } catch (error) {
    throw unreadable("CSV", error instanceof Error ? error.message : undefined);
  }
  const [header, ...body] = rows;
  if (header === undefined) return "";
  // Each row as "column: value" pairs: a chunk keeps the meaning of its cells.
  return body
    .map((row) => row.map((cell, i) => `${header[i] ?? `column ${i + 1}`}: ${cell}`).join(", "))
    .join("\n");
}

/**
 * The text of an uploaded file, by its extension (or, without one, its media type): UTF-8
 * text and Markdown as they are, CSV as one line per row, PDF and Word (.docx) through pdf.js and
 * mammoth. An unknown type is a 415 naming the ones that work; a damaged file a 422.
 */
export async function extractText(file: {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}): Promise<string> {
  const ext = extname(file.originalname).toLowerCase();
  const type: Extension | undefined =
    ext in FILE_TYPES
      ? (ext as Extension)
      : ext === ""
        ? MIME_EXTENSIONS[file.mimetype]
        : undefined;
  switch (type) {
    case ".txt":
      return utf8(file.buffer, "text");
    case ".md":
      return utf8(file.buffer, "Markdown");
    case ".csv":
      return csvText(file.buffer);
    case ".pdf":
      return pdfText(file.buffer);
    case ".docx":
      return docxText(file.buffer);
    case undefined:
      throw new HttpError(
        415,
        `${JSON.stringify(file.originalname)} is not a file type this plugin reads; send ${Object.entries(
          FILE_TYPES,
        )
          .map(([e, name]) => `${e} (${name})`)
          .join(", ")}.`,
        { code: "unsupported_file_type" },
      );
  }
}
