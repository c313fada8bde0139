import express, {
  Router,
  type ErrorRequestHandler,
  type Express,
  type Request,
  type Response,
} from "express";
import type { PluginAuth } from "../auth/plugin-auth";
import type { Logger } from "../logging/logger";
import { logOf } from "../logging/request-logging";
import { dispatch, type DispatchResponse } from "../server/dispatch";
import { pluginRuntimeOf } from "../server/plugin-runtime";
import { requestIdOf } from "../server/request-id";
import type { OpenApiDocument } from "../spec/openapi-types";
import { toolsFromSpec, type McpTool, type ToolDefinition, type ToolRoute } from "./mcp-tools";

/** Where the MCP endpoint is served unless configured otherwise. */
export const DEFAULT_MCP_PATH = "/mcp";

/** Options for {@link createMcpRouter}. */
export interface McpEndpointOptions {
  /** The app the tool calls are dispatched into (the plugin's own). */
  app: () => Express;
  /** The built spec (not the served one: tools do not change with the auth type). */
  spec: OpenApiDocument;
  auth: PluginAuth;
  /** The server's name and version in `initialize`. */
  server: { name: string; title: string; version: string; instructions?: string };
  path: string;
  bodyLimit: string | number;
  logger: Logger;
}

/**
 * The SDK's modules, loaded when the first MCP request arrives: start-up does not pay for them.
 * The low-level `Server` (which the 1.x SDK marks deprecated for ordinary use) is the one that
 * lists tools with JSON Schemas as given; `McpServer` takes Zod schemas only.
 */
/* eslint-disable @typescript-eslint/no-deprecated */
interface McpSdk {
  Server: typeof import("@modelcontextprotocol/sdk/server/index.js").Server;
  StreamableHTTPServerTransport: typeof import("@modelcontextprotocol/sdk/server/streamableHttp.js").StreamableHTTPServerTransport;
  types: typeof import("@modelcontextprotocol/sdk/types.js");
}
let sdk: McpSdk | undefined;
function loadSdk(): McpSdk {
  /* eslint-disable @typescript-eslint/no-require-imports */
  sdk ??= {
    Server: (
      require("@modelcontextprotocol/sdk/server/index.js") as typeof import("@modelcontextprotocol/sdk/server/index.js")
    ).Server,
    StreamableHTTPServerTransport: (
      require("@modelcontextprotocol/sdk/server/streamableHttp.js") as typeof import("@modelcontextprotocol/sdk/server/streamableHttp.js")
    ).StreamableHTTPServerTransport,
    types:
      require("@modelcontextprotocol/sdk/types.js") as typeof import("@modelcontextprotocol/sdk/types.js"),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return sdk;
}
/* eslint-enable @typescript-eslint/no-deprecated */

/** A JSON-RPC error answer to an HTTP request that is not a usable MCP message. */
function jsonRpcError(res: Response, status: number, code: number, message: string): void {
  res
    .status(status)
    .type("application/json")
    .send(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }));
}

/**
 * The plugin's operations as an MCP server (Streamable HTTP, stateless, JSON responses) at
 * `path`: `tools/list` lists every operation of the spec as a tool, and `tools/call` runs the
 * operation through the plugin's own Express app in this process, so validation, auth, account
 * isolation, rate limits and error mapping are those of the API. With an auth type other than
 * `none`, the request itself must carry a credential the auth accepts (a 401 otherwise, which
 * sends an OAuth-capable client to the resource metadata).
 */
export function createMcpRouter(options: McpEndpointOptions): Router {
  const { spec, auth, path, logger } = options;
  // Made from the spec on the first MCP request, so start-up does not pay for it.
  let made: { byName: Map<string, ToolDefinition>; listed: McpTool[] } | undefined;
  const toolsOf = () => {
    if (made === undefined) {
      const { tools, problems } = toolsFromSpec(spec);
      if (problems.length > 0) {
        // The build refuses these; a hand-made spec may still have them.
        logger.warn({ problems }, "operations left out of the MCP tools");
      }
      made = {
        byName: new Map(tools.map((definition) => [definition.tool.name, definition])),
        listed: tools.map((definition) => definition.tool),
      };
    }
    return made;
  };

  const router = Router();
  const notAllowed = (_req: Request, res: Response): void => {
    res.set("Allow", "POST");
    jsonRpcError(
      res,
      405,
      -32000,
      "Method not allowed: this MCP server is stateless; send each JSON-RPC message in a POST.",
    );
  };
  router.get(path, notAllowed);
  router.delete(path, notAllowed);
  router.post(
    path,
    express.json({ limit: options.bodyLimit, type: () => true }),
    async (req, res, next) => {
      try {
        if (auth.type !== "none") {
          await auth.authenticate(req, []);
          // As for the API: from now on this credential's requests count against it.
          pluginRuntimeOf(req.app).credentials.remember(req);
        }
        const { Server, StreamableHTTPServerTransport, types } = loadSdk();
        const server = new Server(
          {
            name: options.server.name,
            title: options.server.title,
            version: options.server.version,
          },
          {
            capabilities: { tools: { listChanged: false } },
            ...(options.server.instructions === undefined
              ? {}
              : { instructions: options.server.instructions }),
          },
        );
        const { byName, listed } = toolsOf();
        server.setRequestHandler(types.ListToolsRequestSchema, () => ({ tools: listed }));
        server.setRequestHandler(types.CallToolRequestSchema, async (request) => {
          const definition = byName.get(request.params.name);
          if (definition === undefined) {
            throw new types.McpError(
              types.ErrorCode.InvalidParams,
              `Unknown tool: ${request.params.name}. tools/list names the ${listed.length} tools.`,
            );
          }
          return callTool(options.app(), req, res, definition, request.params.arguments ?? {});
        });
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
          enableJsonResponse: true,
        });
        res.on("close", () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
      } catch (error) {
        next(error);
      }
    },
  );
  const bodyErrors: ErrorRequestHandler = (error: unknown, req, res, next) => {
    const type = (error as { type?: unknown } | null)?.type;
    if (req.path !== path || typeof type !== "string" || !type.startsWith("entity.")) {
      next(error);
      return;
    }
    logOf(res, logger).debug({ err: String(error) }, "unreadable MCP request");
    if (type === "entity.too.large") {
      jsonRpcError(res, 413, -32600, `Invalid request: the body is over ${options.bodyLimit}.`);
    } else {
      jsonRpcError(res, 400, -32700, "Parse error: the body is not valid JSON.");
    }
  };
  router.use(bodyErrors);
  return router;
}

/** Sends a tool call to its operation and turns the answer into a tool result. */
async function callTool(
  app: Express,
  outer: Request,
  outerRes: Response,
  definition: ToolDefinition,
  args: Record<string, unknown>,
): Promise<{
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}> {
  const built = requestFor(definition.route, args);
  if (typeof built === "string") return { content: [{ type: "text", text: built }], isError: true };
  const headers: Record<string, string> = {};
  for (const name of [
    "authorization",
    "host",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "user-agent",
  ]) {
    const value = outer.get(name);
    if (value !== undefined) headers[name] = value;
  }
  headers["x-request-id"] = requestIdOf(outerRes);
  headers["accept"] = "application/json";
  const response = await dispatch(app, {
    method: definition.route.method,
    url: built.url,
    headers,
    body: built.body,
    remoteAddress: outer.socket.remoteAddress,
    viaResource: outer.baseUrl + outer.path,
  });
  return toolResult(definition, response);
}

/** The HTTP request for a tool call's arguments, or what is wrong with them. */
function requestFor(
  route: ToolRoute,
  args: Record<string, unknown>,
): { url: string; body?: unknown } | string {
  const missing = route.pathParams.filter(
    (name) => args[name] === undefined || args[name] === null,
  );
  if (missing.length > 0) {
    return `Missing required argument${missing.length === 1 ? "" : "s"}: ${missing.join(", ")}.`;
  }
  const path = route.path.replace(/\{([^}]+)\}/g, (_match, name: string) =>
    encodeURIComponent(scalar(args[name])),
  );
  const query = new URLSearchParams();
  for (const name of route.queryParams) {
    const value = args[name];
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, scalar(item));
  }
  const taken = new Set([...route.pathParams, ...route.queryParams]);
  const rest = Object.fromEntries(Object.entries(args).filter(([name]) => !taken.has(name)));
  let body: unknown;
  if (route.body === "merged") {
    body = rest;
  } else {
    const { body: nested, ...unknown } = rest;
    if (route.body === "nested") body = nested;
    else if (nested !== undefined) unknown["body"] = nested;
    const names = Object.keys(unknown);
    if (names.length > 0) {
      const known = [...taken, ...(route.body === "nested" ? ["body"] : [])];
      return `Unknown argument${names.length === 1 ? "" : "s"}: ${names.join(", ")}. This tool takes ${known.length === 0 ? "no arguments" : known.join(", ")}.`;
    }
  }
  const search = query.toString();
  return {
    url: search === "" ? path : `${path}?${search}`,
    ...(body === undefined ? {} : { body }),
  };
}

function scalar(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A tool result for the operation's answer: a 2xx JSON object is the structured content (and
 * its text); any other 2xx body is text; an error is `isError` with the API's message, which
 * the model can act on.
 */
function toolResult(
  definition: ToolDefinition,
  response: DispatchResponse,
): {
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
} {
  let json: unknown;
  try {
    json = response.body === "" ? undefined : JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  if (response.status >= 400) {
    const error = json as { error?: unknown; message?: unknown } | undefined;
    const message =
      typeof error?.message === "string" ? error.message : response.body || "No details.";
    const code = typeof error?.error === "string" ? ` ${error.error}` : "";
    return {
      // Text only: clients check structured content against the output schema, errors included.
      content: [{ type: "text", text: `Error ${response.status}${code}: ${message}` }],
      isError: true,
    };
  }
  const text = response.body === "" ? `Done (HTTP ${response.status}).` : response.body;
  if (
    definition.tool.outputSchema !== undefined &&
    json !== null &&
    typeof json === "object" &&
    !Array.isArray(json)
  ) {
    return {
      content: [{ type: "text", text }],
      structuredContent: json as Record<string, unknown>,
    };
  }
  return { content: [{ type: "text", text }] };
}
