import { describe, expect, it } from "vitest";
import { toolsFromSpec } from "../../src/mcp/mcp-tools";
import { checkActionsSpec, toActionsSpec } from "../../src/spec/actions-spec";
import { toJsonSchema } from "../../src/spec/json-schema";
import type { OpenApiDocument, Operation } from "../../src/spec/openapi-types";
import { TEST_SPEC } from "../fixtures";

const NOTE = {
  type: "object",
  properties: {
    text: { type: "string", maxLength: 200 },
    tags: { type: "array", items: { type: "string" }, nullable: true },
  },
  required: ["text"],
};

function specWith(
  operations: Record<string, Record<string, Operation>>,
  schemas: Record<string, unknown> = {},
): OpenApiDocument {
  return {
    ...TEST_SPEC,
    paths: operations,
    components: { schemas: { Note: NOTE, ...schemas } },
  };
}

const jsonBody = (schema: unknown, required = true) => ({
  required,
  content: { "application/json": { schema } },
});
const jsonResponse = (schema: unknown) => ({
  "200": { description: "OK", content: { "application/json": { schema } } },
});

describe("toJsonSchema", () => {
  it("writes OpenAPI 3.0's nullable, example and boolean exclusive bounds as JSON Schema", () => {
    const doc = { components: { schemas: {} } };
    expect(
      toJsonSchema(
        { type: "integer", nullable: true, minimum: 0, exclusiveMinimum: true, example: 3 },
        doc,
        { inline: true },
      ),
    ).toEqual({ type: ["integer", "null"], exclusiveMinimum: 0, examples: [3] });
    expect(
      toJsonSchema({ type: "string", enum: ["a", "b"], nullable: true }, doc, { inline: true }),
    ).toEqual({ type: ["string", "null"], enum: ["a", "b", null] });
    expect(
      toJsonSchema({ allOf: [{ $ref: "#/components/schemas/X" }], nullable: true }, doc, {
        inline: false,
      }),
    ).toEqual({ anyOf: [{ allOf: [{ $ref: "#/components/schemas/X" }] }, { type: "null" }] });
  });

  it("keeps properties whatever their names, and drops OpenAPI-only keywords", () => {
    expect(
      toJsonSchema(
        {
          type: "object",
          "x-internal": true,
          discriminator: { propertyName: "kind" },
          properties: { example: { type: "string" }, "x-id": { type: "number" } },
        },
        { components: {} },
        { inline: true },
      ),
    ).toEqual({
      type: "object",
      properties: { example: { type: "string" }, "x-id": { type: "number" } },
    });
  });

  it("inlines references, and refuses a schema that contains itself", () => {
    const doc = {
      components: {
        schemas: {
          Tree: {
            type: "object",
            properties: {
              children: { type: "array", items: { $ref: "#/components/schemas/Tree" } },
            },
          },
        },
      },
    };
    expect(
      toJsonSchema(
        { $ref: "#/components/schemas/Note" },
        { components: { schemas: { Note: NOTE } } },
        { inline: true },
      ),
    ).toMatchObject({
      properties: { tags: { type: ["array", "null"] } },
    });
    expect(() =>
      toJsonSchema({ $ref: "#/components/schemas/Tree" }, doc, { inline: true }),
    ).toThrow("the schema Tree contains itself (Tree -> Tree)");
    expect(() =>
      toJsonSchema({ $ref: "#/components/schemas/Gone" }, doc, { inline: true }),
    ).toThrow("#/components/schemas/Gone names no schema");
  });
});

describe("toolsFromSpec", () => {
  it("makes one flat input schema of the path, query and body parameters", () => {
    const { tools, problems } = toolsFromSpec(
      specWith({
        "/notes/{owner}": {
          post: {
            operationId: "addNote",
            summary: "Add a note",
            description: "Adds a note to the owner's notes.",
            parameters: [
              {
                name: "owner",
                in: "path",
                required: true,
                schema: { type: "string" },
                description: "Whose notes.",
              },
              { name: "dryRun", in: "query", schema: { type: "boolean" } },
            ],
            requestBody: jsonBody({ $ref: "#/components/schemas/Note" }),
            responses: jsonResponse({ $ref: "#/components/schemas/Note" }),
            "x-openai-isConsequential": false,
          },
        },
      }),
    );
    expect(problems).toEqual([]);
    expect(tools[0]?.tool).toEqual({
      name: "addNote",
      title: "Add a note",
      description: "Add a note\n\nAdds a note to the owner's notes.",
      inputSchema: {
        type: "object",
        properties: {
          owner: { type: "string", description: "Whose notes." },
          dryRun: { type: "boolean" },
          text: { type: "string", maxLength: 200 },
          tags: { type: ["array", "null"], items: { type: "string" } },
        },
        required: ["owner", "text"],
        additionalProperties: false,
      },
      outputSchema: toJsonSchema(NOTE, { components: {} }, { inline: true }),
      annotations: {
        title: "Add a note",
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    });
    expect(tools[0]?.route).toEqual({
      method: "post",
      path: "/notes/{owner}",
      pathParams: ["owner"],
      queryParams: ["dryRun"],
      body: "merged",
    });
  });

  it("passes the body as one `body` argument when its names clash or it is not an object", () => {
    const { tools } = toolsFromSpec(
      specWith({
        "/notes/{text}": {
          put: {
            operationId: "replaceNote",
            parameters: [{ name: "text", in: "path", required: true, schema: { type: "string" } }],
            requestBody: jsonBody({ $ref: "#/components/schemas/Note" }),
            responses: jsonResponse({ type: "array", items: { type: "string" } }),
          },
        },
      }),
    );
    expect(tools[0]?.route.body).toBe("nested");
    expect(tools[0]?.tool.inputSchema["required"]).toEqual(["text", "body"]);
    // An array response is text only: no output schema.
    expect(tools[0]?.tool.outputSchema).toBeUndefined();
    expect(tools[0]?.tool.annotations).toMatchObject({
      destructiveHint: true,
      idempotentHint: true,
    });
  });

  it("reads the hints from the method and the extensions", () => {
    const { tools } = toolsFromSpec(
      specWith({
        "/a": {
          get: { operationId: "lookUp", "x-plugkit-openWorld": true, responses: {} },
          delete: { operationId: "dropOne", "x-plugkit-idempotent": false, responses: {} },
        },
      }),
    );
    expect(tools.map((t) => t.tool.annotations)).toEqual([
      { readOnlyHint: true, openWorldHint: true },
      { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    ]);
  });

  it("names every operation that cannot be a tool, and why", () => {
    const { tools, problems } = toolsFromSpec(
      specWith(
        {
          "/a": {
            get: {
              operationId: "withHeader",
              parameters: [{ name: "X-Trace", in: "header", schema: { type: "string" } }],
            },
            post: { operationId: "has space" },
            put: { operationId: "form", requestBody: { content: { "text/plain": {} } } },
          },
          "/b": {
            get: {
              operationId: "tree",
              responses: jsonResponse({ $ref: "#/components/schemas/Tree" }),
            },
          },
        },
        {
          Tree: {
            type: "object",
            properties: { kids: { type: "array", items: { $ref: "#/components/schemas/Tree" } } },
          },
        },
      ),
    );
    expect(tools).toEqual([]);
    expect(problems).toEqual([
      "GET /a: the header parameter X-Trace cannot be sent by MCP clients nor GPT Actions: take it from the path, the query or the body",
      "PUT /a: the request body is text/plain, not application/json: MCP tools take JSON arguments",
      'POST /a: the operationId "has space" is not a tool name MCP clients accept (1-64 letters, digits, _ or -)',
      "GET /b: the schema Tree contains itself (Tree -> Tree), so it cannot be written out in full",
    ]);
  });
});

describe("the GPT Action's spec", () => {
  const spec = specWith({
    "/notes": {
      post: {
        operationId: "addNote",
        summary: "Add a note",
        requestBody: jsonBody({ $ref: "#/components/schemas/Note" }),
        responses: jsonResponse({ $ref: "#/components/schemas/Note" }),
        "x-openai-isConsequential": true,
        "x-plugkit-openWorld": true,
      },
    },
  });

  it("is OpenAPI 3.1 with JSON Schema, the same operations and x-openai-isConsequential", () => {
    const actions = toActionsSpec(spec);
    expect(actions.openapi).toBe("3.1.0");
    expect(actions.servers).toEqual(TEST_SPEC.servers);
    const operation = actions.paths["/notes"]?.post;
    expect(operation?.operationId).toBe("addNote");
    expect(operation?.["x-openai-isConsequential"]).toBe(true);
    expect(operation?.["x-plugkit-openWorld"]).toBeUndefined();
    expect(operation?.requestBody).toEqual(jsonBody({ $ref: "#/components/schemas/Note" }));
    expect(actions.components?.schemas?.["Note"]?.properties?.["tags"]).toEqual({
      type: ["array", "null"],
      items: { type: "string" },
    });
    // The input is not changed.
    expect(spec.openapi).toBe("3.0.0");
    expect(checkActionsSpec(actions)).toEqual([]);
  });

  it("is checked against GPT Actions' documented limits, in characters", () => {
    const long = specWith({
      "/a": {
        get: {
          operationId: "a",
          summary: "é".repeat(300),
          description: "x".repeat(301),
          parameters: [
            { name: "q", in: "query", description: "y".repeat(701) },
            { name: "X-Key", in: "header" },
          ],
        },
      },
    });
    expect(checkActionsSpec(toActionsSpec(long))).toEqual([
      "GET /a: the description is 301 characters; GPT Actions accept at most 300",
      "GET /a: the description of q is 701 characters; GPT Actions accept at most 700",
      "GET /a: the header parameter X-Key cannot be sent: GPT Actions send no custom headers",
    ]);
  });
});
