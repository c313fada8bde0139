import { characterCount } from "../manifest/manifest-limits";
import { toJsonSchema } from "./json-schema";
import { listOperations, type OpenApiDocument, type Operation } from "./openapi-types";

/**
 * GPT Actions' documented limits ("Production notes on GPT Actions", read 2026-11): each
 * operation's summary and description, and each parameter's description, in characters.
 */
export const ACTIONS_LIMITS = { operationText: 300, parameterDescription: 700 } as const;

type Content = Record<string, { schema?: unknown; [key: string]: unknown }>;

/**
 * The spec a GPT Action imports, made from the built (OpenAPI 3.0) spec: OpenAPI 3.1, every
 * schema converted to JSON Schema (`nullable` as a `"null"` type), self-contained (references
 * only to its own components), with the same operations, operationIds, descriptions and
 * `x-openai-isConsequential`, and `PLUGIN_HOSTNAME` as the server (filled in when served).
 * plugkit's own `x-plugkit-*` extensions are left out.
 */
export function toActionsSpec(spec: OpenApiDocument): OpenApiDocument {
  const schema = (value: unknown): unknown => toJsonSchema(value, spec, { inline: false });
  const content = (value: unknown): Content | undefined => {
    if (typeof value !== "object" || value === null) return undefined;
    return Object.fromEntries(
      Object.entries(value as Content).map(([type, media]) => [
        type,
        media.schema === undefined ? media : { ...media, schema: schema(media.schema) },
      ]),
    );
  };
  const paths: OpenApiDocument["paths"] = {};
  for (const { method, path, operation } of listOperations(spec)) {
    const out: Operation = {};
    for (const [key, value] of Object.entries(operation)) {
      if (key.startsWith("x-") && !key.startsWith("x-openai-")) continue;
      out[key] = value;
    }
    if (operation.parameters !== undefined) {
      out.parameters = operation.parameters.map((parameter) => ({
        ...parameter,
        ...(parameter.schema === undefined
          ? {}
          : { schema: schema(parameter.schema) as Record<string, unknown> }),
      }));
    }
    const body = operation.requestBody as { content?: unknown } | undefined;
    if (body?.content !== undefined) out.requestBody = { ...body, content: content(body.content) };
    if (operation.responses !== undefined) {
      out.responses = Object.fromEntries(
        Object.entries(operation.responses).map(([status, response]) => {
          const r = response as { content?: unknown };
          return [status, r.content === undefined ? r : { ...r, content: content(r.content) }];
        }),
      );
    }
    (paths[path] ??= {})[method] = out;
  }
  const components = { ...spec.components };
  if (spec.components?.schemas !== undefined) {
    components.schemas = Object.fromEntries(
      Object.entries(spec.components.schemas).map(([name, value]) => [
        name,
        schema(value) as Record<string, unknown>,
      ]),
    );
  }
  const { openapi: _version, servers: _servers, paths: _paths, components: _c, ...rest } = spec;
  return {
    openapi: "3.1.0",
    ...rest,
    info: spec.info,
    servers: spec.servers ?? [],
    paths,
    ...(Object.keys(components).length === 0 ? {} : { components }),
  };
}

/** What a GPT Action would refuse or cut, each as `GET /path: message`. */
export function checkActionsSpec(spec: OpenApiDocument): string[] {
  const problems: string[] = [];
  for (const { method, path, operation } of listOperations(spec)) {
    const where = `${method.toUpperCase()} ${path}`;
    for (const field of ["summary", "description"] as const) {
      const text = operation[field];
      if (typeof text === "string" && characterCount(text) > ACTIONS_LIMITS.operationText) {
        problems.push(
          `${where}: the ${field} is ${characterCount(text)} characters; GPT Actions accept at most ${ACTIONS_LIMITS.operationText}`,
        );
      }
    }
    for (const parameter of operation.parameters ?? []) {
      const text = parameter.description;
      if (typeof text === "string" && characterCount(text) > ACTIONS_LIMITS.parameterDescription) {
        problems.push(
          `${where}: the description of ${parameter.name} is ${characterCount(text)} characters; GPT Actions accept at most ${ACTIONS_LIMITS.parameterDescription}`,
        );
      }
      if (parameter.in === "header" || parameter.in === "cookie") {
        problems.push(
          `${where}: the ${parameter.in} parameter ${parameter.name} cannot be sent: GPT Actions send no custom headers`,
        );
      }
    }
  }
  return problems;
}
