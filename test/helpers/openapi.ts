/** The parts of an OpenAPI 3 document the tests read. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

export type Operation = Record<string, unknown> & {
  operationId?: string;
  summary?: string;
  parameters?: Parameter[];
  responses?: Record<string, unknown>;
};

export interface Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: Record<string, unknown> & { type?: string };
}

export type PathItem = Partial<Record<"get" | "post" | "put" | "patch" | "delete", Operation>>;
