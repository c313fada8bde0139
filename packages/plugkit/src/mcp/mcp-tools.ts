import type { HttpMethod, OpenApiDocument, Operation } from "../spec/openapi-types";
import { listOperations } from "../spec/openapi-types";
import {
  SchemaConversionError,
  isObjectSchema,
  toJsonSchema,
  type JsonSchema,
} from "../spec/json-schema";

/** `@Extension(X_OPEN_WORLD, true)`: the operation reaches a service outside the plugin. */
export const X_OPEN_WORLD = "x-plugkit-openWorld";
/** `@Extension(X_IDEMPOTENT, false)`: repeating the call has a further effect (PUT and DELETE are assumed idempotent). */
export const X_IDEMPOTENT = "x-plugkit-idempotent";

/** Tool names every common client accepts (OpenAI's and Anthropic's function names). */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** MCP's tool annotations (hints to the client, not guarantees). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint: boolean;
}

/** An operation of the spec as an MCP tool, as `tools/list` shows it. */
export interface McpTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: ToolAnnotations;
}

/** How a tool's arguments become the operation's HTTP request. */
export interface ToolRoute {
  method: HttpMethod;
  /** The spec's path, with `{name}` templates. */
  path: string;
  pathParams: readonly string[];
  queryParams: readonly string[];
  /**
   * `merged`: the JSON body's properties are arguments of their own; `nested`: the body is the
   * `body` argument; `none`: the operation takes no body.
   */
  body: "none" | "merged" | "nested";
}

/** A tool and its route. */
export interface ToolDefinition {
  tool: McpTool;
  route: ToolRoute;
}

/** What {@link toolsFromSpec} found. */
export interface ToolsFromSpec {
  tools: ToolDefinition[];
  /** Why an operation cannot be a tool, each as `GET /path: message`; empty when all can. */
  problems: string[];
}

/**
 * Every operation of a built spec as an MCP tool: its name is the operationId; its title the
 * summary; its description the summary and description; its input schema one object of the path,
 * query and JSON body parameters (the body as one `body` argument when its names clash with a
 * parameter's or it is not an object); its output schema the 2xx JSON response's, when that is
 * an object; and its annotations what the method and the operation's extensions say.
 * `checkUniqueNames: false` leaves duplicate operationIds to the spec's own check (the build).
 */
export function toolsFromSpec(
  spec: OpenApiDocument,
  options: { checkUniqueNames?: boolean } = {},
): ToolsFromSpec {
  const { checkUniqueNames = true } = options;
  const tools: ToolDefinition[] = [];
  const problems: string[] = [];
  const names = new Map<string, string>();
  for (const { method, path, operation } of listOperations(spec)) {
    const where = `${method.toUpperCase()} ${path}`;
    try {
      const definition = toolOf(spec, method, path, operation);
      const earlier = names.get(definition.tool.name);
      if (earlier !== undefined && checkUniqueNames) {
        throw new SchemaConversionError(
          `the tool name ${definition.tool.name} is also ${earlier}'s: operationIds must be unique`,
        );
      }
      names.set(definition.tool.name, where);
      tools.push(definition);
    } catch (error) {
      if (!(error instanceof SchemaConversionError)) throw error;
      problems.push(`${where}: ${error.message}`);
    }
  }
  return { tools, problems };
}

function toolOf(
  spec: OpenApiDocument,
  method: HttpMethod,
  path: string,
  operation: Operation,
): ToolDefinition {
  const name = operation.operationId ?? "";
  if (!TOOL_NAME.test(name)) {
    throw new SchemaConversionError(
      `the operationId ${JSON.stringify(name)} is not a tool name MCP clients accept (1-64 letters, digits, _ or -)`,
    );
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const pathParams: string[] = [];
  const queryParams: string[] = [];
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== "path" && parameter.in !== "query") {
      throw new SchemaConversionError(
        `the ${parameter.in} parameter ${parameter.name} cannot be sent by MCP clients nor GPT Actions: take it from the path, the query or the body`,
      );
    }
    const schema = toJsonSchema(parameter.schema ?? {}, spec, { inline: true });
    if (parameter.description !== undefined) schema["description"] = parameter.description;
    properties[parameter.name] = schema;
    if (parameter.required === true) required.push(parameter.name);
    (parameter.in === "path" ? pathParams : queryParams).push(parameter.name);
  }

  let body: ToolRoute["body"] = "none";
  const requestBody = operation.requestBody as
    | { required?: boolean; description?: string; content?: Record<string, { schema?: unknown }> }
    | undefined;
  if (requestBody !== undefined) {
    const types = Object.keys(requestBody.content ?? {});
    const json = requestBody.content?.["application/json"];
    if (json === undefined) {
      throw new SchemaConversionError(
        `the request body is ${types.join(", ")}, not application/json: MCP tools take JSON arguments`,
      );
    }
    const schema = toJsonSchema(json.schema ?? {}, spec, { inline: true });
    const bodyProperties = schema["properties"] as Record<string, JsonSchema> | undefined;
    const clash =
      bodyProperties === undefined
        ? []
        : Object.keys(bodyProperties).filter((key) => key in properties);
    if (isObjectSchema(schema) && bodyProperties !== undefined && clash.length === 0) {
      body = "merged";
      Object.assign(properties, bodyProperties);
      const bodyRequired = (schema["required"] as string[] | undefined) ?? [];
      if (requestBody.required === true) required.push(...bodyRequired);
    } else {
      if ("body" in properties) {
        throw new SchemaConversionError(
          "the body would be the `body` argument, but a parameter has that name",
        );
      }
      body = "nested";
      if (requestBody.description !== undefined && schema["description"] === undefined) {
        schema["description"] = requestBody.description;
      }
      properties["body"] = schema;
      if (requestBody.required === true) required.push("body");
    }
  }

  const inputSchema: JsonSchema = {
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
  const outputSchema = outputSchemaOf(spec, operation);
  const summary = operation.summary?.trim();
  const details = operation.description?.trim();
  const description =
    [summary, details].filter((text) => text !== undefined && text !== "").join("\n\n") || name;
  const readOnly = method === "get" || method === "head";
  const consequential = operation["x-openai-isConsequential"];
  const annotations: ToolAnnotations = {
    ...(summary === undefined || summary === "" ? {} : { title: summary }),
    readOnlyHint: readOnly,
    openWorldHint: operation[X_OPEN_WORLD] === true,
  };
  if (!readOnly) {
    annotations.destructiveHint =
      method === "delete" || (typeof consequential === "boolean" ? consequential : true);
    annotations.idempotentHint =
      typeof operation[X_IDEMPOTENT] === "boolean"
        ? operation[X_IDEMPOTENT]
        : method === "put" || method === "delete";
  }
  return {
    tool: {
      name,
      ...(summary === undefined || summary === "" ? {} : { title: summary }),
      description,
      inputSchema,
      ...(outputSchema === undefined ? {} : { outputSchema }),
      annotations,
    },
    route: { method, path, pathParams, queryParams, body },
  };
}

/** The first 2xx response's JSON schema, when it describes an object. */
function outputSchemaOf(spec: OpenApiDocument, operation: Operation): JsonSchema | undefined {
  const success = Object.entries(operation.responses ?? {})
    .filter(([status]) => /^2\d\d$/.test(status))
    .sort(([a], [b]) => a.localeCompare(b))[0];
  const content = (success?.[1] as { content?: Record<string, { schema?: unknown }> } | undefined)
    ?.content;
  const schema = content?.["application/json"]?.schema;
  if (schema === undefined) return undefined;
  const converted = toJsonSchema(schema, spec, { inline: true });
  return isObjectSchema(converted) ? converted : undefined;
}
