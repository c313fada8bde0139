import addFormats from "ajv-formats";
import OpenAPIBackend from "openapi-backend";
import type { Response } from "supertest";
import { parse } from "yaml";
import { expect } from "vitest";

/**
 * Checks real responses against the spec the server serves, with openapi-backend's validator
 * (Ajv over the OpenAPI 3 schemas, with the standard formats): the status must be declared for the operation and the body
 * must match its schema.
 */
export class SpecValidator {
  private constructor(private readonly api: OpenAPIBackend) {}

  /** Builds a validator from the YAML the server served at /openapi.yaml; the document itself must be valid OpenAPI. */
  static async fromYaml(yaml: string): Promise<SpecValidator> {
    const api = new OpenAPIBackend({
      definition: parse(yaml) as never,
      strict: true,
      validate: true,
      quick: false,
      // Check `format: date` (and the other standard formats) too, not only the types.
      customizeAjv: (ajv) => {
        addFormats(ajv);
        return ajv;
      },
    });
    await api.init();
    return new SpecValidator(api);
  }

  /** Asserts that a response to `method path` is one the spec describes. */
  expectConforms(res: Response, method: string, path: string): void {
    const operation = this.api.matchOperation({ method, path, headers: {} });
    expect(operation, `${method} ${path} is not an operation in the spec`).toBeDefined();
    if (operation === undefined) return;
    const declared = Object.keys(operation.responses ?? {});
    expect(
      declared,
      `${method} ${path} answered ${res.status}, which the spec does not declare`,
    ).toContain(String(res.status));
    const body: unknown = res.text === "" ? undefined : res.body;
    const result = this.api.validateResponse(body, operation, res.status);
    expect(result.errors ?? [], `${method} ${path} ${res.status} body ${res.text}`).toEqual([]);
  }
}
