import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from "node:http";
import { Socket } from "node:net";
import type { Express, Request } from "express";

/** An HTTP request made inside the process. */
export interface DispatchRequest {
  method: string;
  /** Path and query, e.g. `/todos/alice?limit=5`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Sent as JSON. */
  body?: unknown;
  /** The address the request is from (the outer request's), for rate limits and logs. */
  remoteAddress: string | undefined;
  /**
   * The protected resource the request arrived through (`/mcp`): an OAuth token bound to it is
   * good for this request (RFC 8707).
   */
  viaResource?: string;
}

/** What the app answered. */
export interface DispatchResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

const VIA_RESOURCE = Symbol("plugkit.viaResource");

/** The protected resource a dispatched request arrived through, if any (never set from outside). */
export function viaResourceOf(req: Request): string | undefined {
  return (req as unknown as Record<symbol, string | undefined>)[VIA_RESOURCE];
}

/**
 * Runs one request through the whole Express app in this process, with real
 * `IncomingMessage` and `ServerResponse` objects on an unconnected socket, and collects the
 * answer: every middleware (validation, auth, rate limit, error mapping, the response size
 * guard) applies as to a request from the network, without a loopback connection.
 */
export function dispatch(app: Express, request: DispatchRequest): Promise<DispatchResponse> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    Object.defineProperty(socket, "remoteAddress", { value: request.remoteAddress });
    const req = new IncomingMessage(socket);
    const payload =
      request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body), "utf8");
    req.method = request.method.toUpperCase();
    req.url = request.url;
    req.httpVersion = "1.1";
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    req.headers = {
      ...request.headers,
      ...(payload === undefined
        ? {}
        : { "content-type": "application/json", "content-length": String(payload.length) }),
    };
    if (request.viaResource !== undefined) {
      (req as unknown as Record<symbol, string>)[VIA_RESOURCE] = request.viaResource;
    }
    if (payload !== undefined) req.push(payload);
    req.push(null);

    const res = new ServerResponse(req);
    const chunks: Buffer[] = [];
    const collect = (chunk: unknown, encoding?: unknown): void => {
      if (chunk === undefined || chunk === null) return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(
              chunk as string,
              typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8",
            ),
      );
    };
    let done = false;
    res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      collect(chunk, encoding);
      const cb = typeof encoding === "function" ? encoding : callback;
      if (typeof cb === "function") (cb as () => void)();
      return true;
    }) as ServerResponse["write"];
    res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
      if (typeof chunk !== "function") collect(chunk, encoding);
      if (!done) {
        done = true;
        resolve({
          status: res.statusCode,
          headers: res.getHeaders(),
          body: Buffer.concat(chunks).toString("utf8"),
        });
        // What listens for the end of a response (the request log) hears it as from a socket.
        Object.defineProperty(res, "writableFinished", { value: true });
        res.emit("finish");
        res.emit("close");
      }
      const cb = [chunk, encoding, callback].find((arg) => typeof arg === "function");
      if (typeof cb === "function") (cb as () => void)();
      return res;
    }) as ServerResponse["end"];

    try {
      app(req as Request, res as never);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
