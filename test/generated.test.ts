import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { OpenApiDocument } from "./helpers/openapi";

const ROOT = join(__dirname, "..");
const generated = parse(
  readFileSync(join(ROOT, "generated", "openapi.yaml"), "utf8"),
) as OpenApiDocument;
// OpenAI's TODO plugin spec, copied verbatim from the plugin documents.
const reference = parse(
  readFileSync(join(__dirname, "fixtures", "reference", "todo-openapi.yaml"), "utf8"),
) as OpenApiDocument;

type Json = Record<string, unknown>;

/** Follows a local $ref (or an allOf of one) to the schema it names. */
function resolve(doc: OpenApiDocument, schema: unknown): Json {
  const s = schema as Json & { $ref?: string; allOf?: Json[] };
  const ref = s.$ref ?? (s.allOf?.[0]?.["$ref"] as string | undefined);
  if (ref === undefined) return s;
  return doc.components?.schemas?.[ref.replace("#/components/schemas/", "")] as Json;
}

/** The parts of a schema the model relies on: property names, types, descriptions, required. */
function shape(doc: OpenApiDocument, schema: unknown): unknown {
  const s = resolve(doc, schema) as { properties?: Record<string, Json>; required?: string[] };
  return {
    required: [...(s.required ?? [])].sort(),
    properties: Object.fromEntries(
      Object.entries(s.properties ?? {}).map(([name, p]) => [
        name,
        { type: p["type"], description: p["description"], items: p["items"] },
      ]),
    ),
  };
}

const operations = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    (["get", "post", "delete"] as const)
      .filter((m) => item[m] !== undefined)
      .map((method) => ({
        path,
        method,
        op: item[method] as Json & { parameters?: Json[]; requestBody?: Json; responses: Json },
      })),
  );

/** Each of the reference's operations, with the generated operation at the same path and method. */
const pairs = () =>
  operations(reference).map((theirs) => {
    const mine = generated.paths[theirs.path]?.[theirs.method] as typeof theirs.op | undefined;
    expect(mine, `${theirs.method} ${theirs.path} is missing`).toBeDefined();
    return { ...theirs, theirs: theirs.op, mine: mine! };
  });

// These pin the reference's operations; the plugin may add operations of its own.
describe("generated/openapi.yaml against OpenAI's TODO plugin spec", () => {
  it("keeps the TODO description for the model (the plugin also serves stats, so it adds to it)", () => {
    expect(generated.info.description?.startsWith(reference.info.description ?? "-")).toBe(true);
    expect(generated.info.version).toBe(reference.info.version);
  });

  it("has every reference operation with its operationId and summary", () => {
    for (const { path, method, theirs, mine } of pairs()) {
      expect([mine["operationId"], mine["summary"]], `${method} ${path}`).toEqual([
        theirs["operationId"],
        theirs["summary"],
      ]);
    }
  });

  it("has the same parameters with the same descriptions", () => {
    const params = (op: { parameters?: Json[] }) =>
      (op.parameters ?? []).map((p) => [
        p["name"],
        p["in"],
        p["required"],
        p["description"],
        (p["schema"] as Json)["type"],
      ]);
    for (const { path, method, theirs, mine } of pairs()) {
      expect(params(mine), `${method} ${path}`).toEqual(params(theirs));
    }
  });

  it("has the same request and 200 response schemas, names included", () => {
    for (const { mine, theirs, method, path } of pairs()) {
      const body = (op: typeof mine) =>
        (
          op.requestBody as
            { content?: { "application/json"?: { schema?: { $ref?: string } } } } | undefined
        )?.content?.["application/json"]?.schema;
      const ok = (op: typeof mine) =>
        (
          op.responses["200"] as {
            content?: { "application/json"?: { schema?: { $ref?: string } } };
          }
        ).content?.["application/json"]?.schema;
      expect(body(mine)?.$ref, `${method} ${path} request schema`).toBe(body(theirs)?.$ref);
      expect(ok(mine)?.$ref, `${method} ${path} response schema`).toBe(ok(theirs)?.$ref);
      if (body(theirs))
        expect(shape(generated, body(mine)), `${method} ${path}`).toEqual(
          shape(reference, body(theirs)),
        );
      if (ok(theirs))
        expect(shape(generated, ok(mine)), `${method} ${path}`).toEqual({
          ...(shape(reference, ok(theirs)) as Json),
          required: ["todos"],
        });
    }
  });

  it("marks adding a todo as not consequential and deleting one as consequential", () => {
    const todos = generated.paths["/todos/{username}"];
    expect(todos?.post?.["x-openai-isConsequential"]).toBe(false);
    expect(todos?.delete?.["x-openai-isConsequential"]).toBe(true);
  });
});

describe("generated/openapi.yaml against OpenAI's sports stats plugin spec", () => {
  const stats = parse(
    readFileSync(join(__dirname, "fixtures", "reference", "stats-openapi.yaml"), "utf8"),
  ) as OpenApiDocument;

  it("has every reference operation with its operationId and summary", () => {
    for (const [path, item] of Object.entries(stats.paths)) {
      const theirs = item.get;
      const mine = generated.paths[path]?.get;
      expect(mine?.operationId, path).toBe(theirs?.operationId);
      expect(mine?.summary, path).toBe(theirs?.summary);
    }
  });

  it("has every reference parameter, with the same description, typed more strictly", () => {
    for (const [path, item] of Object.entries(stats.paths)) {
      for (const theirs of item.get?.parameters ?? []) {
        const mine = generated.paths[path]?.get?.parameters?.find((p) => p.name === theirs.name);
        expect(mine, `${path} ${theirs.name}`).toBeDefined();
        expect(mine?.in).toBe(theirs.in);
        expect(mine?.description, `${path} ${theirs.name}`).toBe(theirs.description);
        if (theirs.schema?.type === "array") expect(mine?.schema?.type).toBe("array");
      }
    }
    const limit = generated.paths["/games"]?.get?.parameters?.find((p) => p.name === "limit");
    expect(limit?.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
    const start = generated.paths["/games"]?.get?.parameters?.find((p) => p.name === "start_date");
    expect(start?.schema).toMatchObject({ type: "string", format: "date" });
  });

  it("types every 200 response, where the reference has none", () => {
    for (const path of Object.keys(stats.paths)) {
      const ok = generated.paths[path]?.get?.responses?.["200"] as {
        content?: Record<string, { schema?: { $ref?: string } }>;
      };
      expect(ok.content?.["application/json"]?.schema?.$ref, path).toMatch(
        /^#\/components\/schemas\//,
      );
    }
  });
});
