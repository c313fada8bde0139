import type { OpenApiDocument } from "./openapi-types";

/** A JSON Schema (2020-12 vocabulary) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** A schema that cannot be turned into JSON Schema, and why. */
export class SchemaConversionError extends Error {
  override readonly name = "SchemaConversionError";
}

const REF_PREFIX = "#/components/schemas/";

/**
 * An OpenAPI 3.0 schema object as JSON Schema: `nullable` becomes a `"null"` type (or enum
 * member), the boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers, `example` becomes
 * `examples`, and OpenAPI-only keywords (`x-*`, `discriminator`, `xml`, `externalDocs`) go.
 *
 * With `inline`, every `$ref` to `#/components/schemas/...` is replaced by the schema it names,
 * so the result stands alone (MCP tool schemas); a schema that contains itself cannot be inlined
 * and throws a {@link SchemaConversionError}. Without it, references are kept (an OpenAPI 3.1
 * document, whose components are converted too).
 */
export function toJsonSchema(
  schema: unknown,
  doc: Pick<OpenApiDocument, "components">,
  options: { inline: boolean },
): JsonSchema {
  return convert(schema, doc, options.inline, []) as JsonSchema;
}

function convert(
  value: unknown,
  doc: Pick<OpenApiDocument, "components">,
  inline: boolean,
  stack: readonly string[],
): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, doc, inline, stack));
  if (typeof value !== "object" || value === null) return value;
  const source = value as Record<string, unknown>;
  const ref = source["$ref"];
  if (typeof ref === "string") {
    if (!inline) return { $ref: ref };
    if (!ref.startsWith(REF_PREFIX)) {
      throw new SchemaConversionError(`${ref} is not a reference to #/components/schemas`);
    }
    const name = decodeURIComponent(ref.slice(REF_PREFIX.length));
    if (stack.includes(name)) {
      throw new SchemaConversionError(
        `the schema ${name} contains itself (${[...stack, name].join(" -> ")}), so it cannot be written out in full`,
      );
    }
    const target = doc.components?.schemas?.[name];
    if (target === undefined) throw new SchemaConversionError(`${ref} names no schema`);
    return convert(target, doc, inline, [...stack, name]);
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(source)) {
    if (key.startsWith("x-") || ["discriminator", "xml", "externalDocs"].includes(key)) continue;
    if (key === "nullable" || key === "example") continue;
    if (key === "exclusiveMinimum" || key === "exclusiveMaximum") continue;
    if (key === "properties" && typeof child === "object" && child !== null) {
      out[key] = Object.fromEntries(
        Object.entries(child).map(([name, property]) => [
          name,
          convert(property, doc, inline, stack),
        ]),
      );
      continue;
    }
    out[key] = convert(child, doc, inline, stack);
  }
  if ("example" in source) out["examples"] = [source["example"]];
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    const exclusive = source[flag];
    if (typeof exclusive === "number") out[flag] = exclusive;
    else if (exclusive === true && typeof source[bound] === "number") {
      out[flag] = source[bound];
      Reflect.deleteProperty(out, bound);
    }
  }
  if (source["nullable"] === true) {
    if (typeof out["type"] === "string") out["type"] = [out["type"], "null"];
    if (Array.isArray(out["enum"]) && !out["enum"].includes(null)) {
      out["enum"] = [...(out["enum"] as unknown[]), null];
    }
    if (out["type"] === undefined && out["enum"] === undefined) {
      // allOf/oneOf/anyOf with nullable: null is one more alternative.
      return { anyOf: [out, { type: "null" }] };
    }
  }
  return out;
}

/** Whether a converted schema describes a JSON object. */
export function isObjectSchema(schema: JsonSchema): boolean {
  const type = schema["type"];
  return type === "object" || (type === undefined && typeof schema["properties"] === "object");
}
