import { describe, expect, it } from "vitest";
import { checkSpec, type SpecProblem } from "../../src/spec/check-spec";
import type { OpenApiDocument } from "../../src/spec/openapi-types";

function doc(paths: OpenApiDocument["paths"], schemas = {}): OpenApiDocument {
  return { openapi: "3.0.0", info: { title: "t", version: "v1" }, paths, components: { schemas } };
}

const errors = (problems: SpecProblem[]): string[] =>
  problems.filter((p) => p.severity === "error").map((p) => `${p.where}: ${p.message}`);
const warnings = (problems: SpecProblem[]): string[] =>
  problems.filter((p) => p.severity === "warning").map((p) => `${p.where}: ${p.message}`);

describe("checkSpec", () => {
  it("finds nothing wrong with a conventional operation", () => {
    const problems = checkSpec(
      doc({
        "/todos/{username}": {
          get: {
            operationId: "getTodos",
            summary: "Get the list of todos",
            parameters: [{ name: "username", in: "path", description: "The name of the user." }],
          },
        },
      }),
    );
    expect(problems).toEqual([]);
  });

  it("is an error when an operation has no operationId or no summary", () => {
    expect(
      errors(checkSpec(doc({ "/a": { get: { summary: "A" }, post: { operationId: "postA" } } }))),
    ).toEqual([
      'GET /a: has no operationId: add @OperationId("camelCaseName")',
      "POST /a: has no summary: add a `@summary` JSDoc tag; it is what the model reads",
    ]);
  });

  it("is an error when two operations share an operationId, naming both", () => {
    expect(
      errors(
        checkSpec(
          doc({
            "/a": { get: { operationId: "x", summary: "A" } },
            "/b": { get: { operationId: "x", summary: "B" } },
          }),
        ),
      ),
    ).toEqual(['GET /b: operationId "x" is already used by GET /a; operationIds must be unique']);
  });

  it("is an error when a summary, description or parameter description is over 200 characters", () => {
    const long = "d".repeat(201);
    const problems = checkSpec(
      doc({
        "/a": {
          get: {
            operationId: "a",
            summary: long,
            description: long,
            parameters: [{ name: "q", in: "query", description: long }],
          },
        },
      }),
    );
    expect(errors(problems)).toEqual([
      "GET /a: summary is 201 characters, the limit is 200",
      "GET /a: description is 201 characters, the limit is 200",
      'GET /a: query parameter "q" description is 201 characters, the limit is 200',
    ]);
  });

  it("allows exactly 200 characters", () => {
    const exact = "d".repeat(200);
    expect(
      checkSpec(doc({ "/a": { get: { operationId: "a", summary: exact, description: exact } } })),
    ).toEqual([]);
  });

  it("warns about a parameter without a description and an operationId that is not an identifier", () => {
    const problems = checkSpec(
      doc({
        "/a": {
          get: { operationId: "get-a", summary: "A", parameters: [{ name: "q", in: "query" }] },
        },
      }),
    );
    expect(errors(problems)).toEqual([]);
    expect(warnings(problems)).toEqual([
      'GET /a: operationId "get-a" should contain only letters, digits and underscores',
      'GET /a: query parameter "q" has no description: add a `@param q` JSDoc line',
    ]);
  });

  it("warns about a schema property description over 200 characters", () => {
    const problems = checkSpec(
      doc(
        {},
        {
          Todo: {
            type: "object",
            properties: { text: { type: "string", description: "x".repeat(250) } },
          },
        },
      ),
    );
    expect(warnings(problems)).toEqual([
      "components.schemas.Todo.properties.text: description is 250 characters; keep it under 200",
    ]);
  });
});
