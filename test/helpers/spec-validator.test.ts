import type { Response } from "supertest";
import { describe, expect, it } from "vitest";
import { SpecValidator } from "./spec-validator";

const spec = `
openapi: 3.0.0
info: { title: t, version: v1 }
paths:
  /things:
    get:
      operationId: getThings
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [things]
                properties: { things: { type: array, items: { type: string } } }
                additionalProperties: false
`;

const response = (status: number, body: unknown): Response =>
  ({ status, body, text: JSON.stringify(body) }) as Response;

describe("SpecValidator (the check every API test relies on)", () => {
  it("accepts a response that matches the spec", async () => {
    const validator = await SpecValidator.fromYaml(spec);
    validator.expectConforms(response(200, { things: ["a"] }), "get", "/things");
  });

  it("rejects a body that does not match, an undeclared status and an unknown path", async () => {
    const validator = await SpecValidator.fromYaml(spec);
    expect(() => {
      validator.expectConforms(response(200, ["a"]), "get", "/things");
    }).toThrow();
    expect(() => {
      validator.expectConforms(response(200, { things: [1] }), "get", "/things");
    }).toThrow();
    expect(() => {
      validator.expectConforms(response(404, { things: [] }), "get", "/things");
    }).toThrow();
    expect(() => {
      validator.expectConforms(response(200, { things: [] }), "get", "/nope");
    }).toThrow();
  });

  it("refuses an invalid OpenAPI document", async () => {
    await expect(SpecValidator.fromYaml("openapi: 3.0.0\npaths: {}\n")).rejects.toThrow();
  });
});
