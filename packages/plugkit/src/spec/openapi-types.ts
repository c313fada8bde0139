/**
 * The parts of an OpenAPI 3.0 document that plugkit reads or rewrites. Everything else is kept
 * as is, so the types stay open.
 */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; description?: string; version: string; [key: string]: unknown };
  servers?: { url: string; description?: string }[];
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, SchemaObject>; [key: string]: unknown };
  [key: string]: unknown;
}

export type PathItem = Partial<Record<HttpMethod, Operation>> & Record<string, unknown>;

export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: SchemaObject;
  [key: string]: unknown;
}

export interface SchemaObject {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaObject>;
  [key: string]: unknown;
}

export const HTTP_METHODS = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Every operation of a document with its method and path, in document order. */
export function listOperations(
  doc: OpenApiDocument,
): { method: HttpMethod; path: string; operation: Operation }[] {
  const out: { method: HttpMethod; path: string; operation: Operation }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation !== undefined) out.push({ method, path, operation });
    }
  }
  return out;
}
