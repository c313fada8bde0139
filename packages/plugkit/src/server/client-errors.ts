import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../logging/logger";

// What Node's HTTP parser reports before there is a request for Express to handle, answered as
// Node would (400, 408, 413, 431) but with a JSON body like every other error.
const CLIENT_ERRORS: Record<
  string,
  { status: number; reason: string; code: string; message: string }
> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: "Request Header Fields Too Large",
    code: "headers_too_large",
    message: "The request's headers are too large (Node's limit is 16 KB in all).",
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    reason: "Payload Too Large",
    code: "payload_too_large",
    message: "The request's chunk extensions are too large.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: "Request Timeout",
    code: "request_timeout",
    message: "The request was not received in time; send its headers and body without pausing.",
  },
};
const BAD_REQUEST = {
  status: 400,
  reason: "Bad Request",
  code: "bad_request",
  message: "The request is not valid HTTP.",
};

/**
 * Answers the client errors Node's HTTP server detects itself with a JSON body, then closes
 * the connection. A socket that already has a response under way, or is gone, is destroyed.
 */
export function answerClientErrorsWithJson(server: Server, logger: Logger): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    const known = (error.code !== undefined ? CLIENT_ERRORS[error.code] : undefined) ?? BAD_REQUEST;
    const inProgress = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })
      ._httpMessage?.headersSent;
    logger.debug({ code: error.code, status: known.status }, "client error");
    if (error.code === "ECONNRESET" || !socket.writable || inProgress === true) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ error: known.code, message: known.message });
    socket.end(
      `HTTP/1.1 ${known.status} ${known.reason}\r\n` +
        "Content-Type: application/json; charset=utf-8\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        "Connection: close\r\n\r\n" +
        body,
    );
  });
}
