import { listOperations, type OpenApiDocument } from "./openapi-types";

/** The platform's limit on operation summaries, descriptions and parameter descriptions. */
export const SPEC_DESCRIPTION_LIMIT = 200;

/** One place where a spec breaks (error) or strains (warning) the platform's conventions. */
export interface SpecProblem {
  severity: "error" | "warning";
  /** Where: `GET /todos/{username}`, or `components.schemas.Todo.properties.text`. */
  where: string;
  /** What is wrong, naming the value. */
  message: string;
}

const OPERATION_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

function length(text: string): number {
  return [...text].length;
}

/**
 * Checks an OpenAPI document against the conventions ChatGPT relies on and returns every
 * problem. Errors: an operation without operationId or summary, an operationId used twice,
 * and a summary, description or parameter description over 200 characters. Warnings: a
 * parameter without a description, an operationId that is not a plain identifier, and a schema
 * property description over 200 characters.
 */
export function checkSpec(doc: OpenApiDocument): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const error = (where: string, message: string): void => {
    problems.push({ severity: "error", where, message });
  };
  const warning = (where: string, message: string): void => {
    problems.push({ severity: "warning", where, message });
  };
  const tooLong = (text: string | undefined): boolean =>
    text !== undefined && length(text) > SPEC_DESCRIPTION_LIMIT;
  const seen = new Map<string, string>();

  for (const { method, path, operation } of listOperations(doc)) {
    const where = `${method.toUpperCase()} ${path}`;
    const id = operation.operationId;
    if (id === undefined || id === "") {
      error(where, 'has no operationId: add @OperationId("camelCaseName")');
    } else {
      const first = seen.get(id);
      if (first !== undefined) {
        error(
          where,
          `operationId "${id}" is already used by ${first}; operationIds must be unique`,
        );
      } else {
        seen.set(id, where);
      }
      if (!OPERATION_ID.test(id)) {
        warning(where, `operationId "${id}" should contain only letters, digits and underscores`);
      }
    }
    if (operation.summary === undefined || operation.summary.trim() === "") {
      error(where, "has no summary: add a `@summary` JSDoc tag; it is what the model reads");
    } else if (tooLong(operation.summary)) {
      error(
        where,
        `summary is ${length(operation.summary)} characters, the limit is ${SPEC_DESCRIPTION_LIMIT}`,
      );
    }
    if (tooLong(operation.description)) {
      error(
        where,
        `description is ${length(operation.description ?? "")} characters, the limit is ${SPEC_DESCRIPTION_LIMIT}`,
      );
    }
    for (const parameter of operation.parameters ?? []) {
      const name = `${parameter.in} parameter "${parameter.name}"`;
      if (parameter.description === undefined || parameter.description.trim() === "") {
        warning(where, `${name} has no description: add a \`@param ${parameter.name}\` JSDoc line`);
      } else if (tooLong(parameter.description)) {
        error(
          where,
          `${name} description is ${length(parameter.description)} characters, the limit is ${SPEC_DESCRIPTION_LIMIT}`,
        );
      }
    }
  }

  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) {
      if (tooLong(propertySchema.description)) {
        warning(
          `components.schemas.${name}.properties.${property}`,
          `description is ${length(propertySchema.description ?? "")} characters; keep it under ${SPEC_DESCRIPTION_LIMIT}`,
        );
      }
    }
  }
  return problems;
}
