import fc from "fast-check";

/** A JSON Schema or OpenAPI 3.0 schema object, as the served spec has it. */
type Schema = Record<string, unknown>;
/** What the arbitraries need of the spec: its schemas, to follow `$ref`s. */
export interface SpecSchemas {
  components?: { schemas?: Record<string, unknown> };
}

function resolve(schema: Schema, spec: SpecSchemas): Schema {
  const ref = schema["$ref"];
  if (typeof ref !== "string") return schema;
  const name = ref.replace("#/components/schemas/", "");
  return resolve((spec.components?.schemas?.[name] ?? {}) as Schema, spec);
}

/** Strings with astral characters, combining marks and controls as well as ASCII. */
const anyChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom("é", "ß", "中", "\u0301", "\u200d", "\t", "\n") },
  { weight: 2, arbitrary: fc.constantFrom("😀", "𝄞", "🇫🇷", "👩‍💻") },
);

function stringOf(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc
    .array(anyChar, { minLength, maxLength: Math.max(minLength, maxLength) })
    .map((chars) => chars.join(""))
    .filter((s) => {
      const length = Array.from(s).length;
      return length >= minLength && length <= maxLength;
    });
}

/** Values the schema accepts (as the server should, too). */
export function valid(schemaIn: unknown, spec: SpecSchemas, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve((schemaIn ?? {}) as Schema, spec);
  const inner = (): fc.Arbitrary<unknown> => {
    if (Array.isArray(schema["allOf"])) {
      const parts = (schema["allOf"] as Schema[]).map((part) => resolve(part, spec));
      if (parts.length === 1) return valid(parts[0], spec, depth);
      return valid(
        {
          type: "object",
          properties: Object.assign({}, ...parts.map((p) => p["properties"] ?? {})) as Schema,
          required: parts.flatMap((p) => (p["required"] as string[] | undefined) ?? []),
        },
        spec,
        depth,
      );
    }
    for (const key of ["anyOf", "oneOf"]) {
      if (Array.isArray(schema[key])) {
        return fc.oneof(...(schema[key] as Schema[]).map((s) => valid(s, spec, depth)));
      }
    }
    if (Array.isArray(schema["enum"])) return fc.constantFrom(...(schema["enum"] as unknown[]));
    switch (schema["type"]) {
      case "string": {
        if (schema["format"] === "date") {
          return fc
            .date({ min: new Date("1990-01-01"), max: new Date("2030-12-31"), noInvalidDate: true })
            .map((d) => d.toISOString().slice(0, 10));
        }
        const min = (schema["minLength"] as number | undefined) ?? 0;
        const max = Math.min((schema["maxLength"] as number | undefined) ?? 40, min + 40);
        if (typeof schema["pattern"] === "string") {
          return fc
            .stringMatching(new RegExp(schema["pattern"]))
            .filter((s) => Array.from(s).length >= min && Array.from(s).length <= max);
        }
        return stringOf(min, max);
      }
      case "integer": {
        const min = Math.max((schema["minimum"] as number | undefined) ?? -1e9, -1e15);
        const max = Math.min((schema["maximum"] as number | undefined) ?? 1e9, 1e15);
        return fc.oneof(
          fc.constantFrom(min, max),
          fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
        );
      }
      case "number": {
        const min = (schema["minimum"] as number | undefined) ?? -1e9;
        const max = (schema["maximum"] as number | undefined) ?? 1e9;
        return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      }
      case "boolean":
        return fc.boolean();
      case "array": {
        const min = (schema["minItems"] as number | undefined) ?? 0;
        const max = Math.min((schema["maxItems"] as number | undefined) ?? 4, min + 4);
        return fc.array(valid(schema["items"], spec, depth + 1), {
          minLength: min,
          maxLength: max,
        });
      }
      default: {
        const properties = (schema["properties"] ?? {}) as Record<string, unknown>;
        const required = (schema["required"] as string[] | undefined) ?? [];
        if (depth > 4) return fc.constant({});
        return fc.record(
          Object.fromEntries(
            Object.entries(properties).map(([name, s]) => [name, valid(s, spec, depth + 1)]),
          ),
          { requiredKeys: required.filter((name) => name in properties) },
        );
      }
    }
  };
  const value = inner();
  return schema["nullable"] === true ? fc.option(value, { nil: null }) : value;
}

/** Values of the wrong kind, boundary numbers and hostile strings. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    2147483648,
    -2147483649,
    9007199254740992,
    1e308,
    -0,
    0.5,
    "",
    " ",
    "0x10",
    "1e3",
    "NaN",
    "Infinity",
    "null",
    "<script>alert(1)</script>",
    "%00",
    "\u0000",
    "\ud800",
    "😀".repeat(300),
    [],
    [[]],
    {},
    { $gt: "" },
    { __proto__: { polluted: true } },
  ),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.anything({ maxDepth: 2 }),
);

/** Path segments a model might send, percent-encoded or not. */
export const oddPathValue: fc.Arbitrary<string> = fc.constantFrom(
  "%",
  "%zz",
  "%00",
  "..",
  "%2e%2e",
  "a%2Fb",
  "%F0%9F%98%80",
  "x".repeat(300),
  "%20",
  "%C0%AF",
  "-1",
  "99999999999999999999",
);
