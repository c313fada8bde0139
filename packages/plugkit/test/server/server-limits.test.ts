import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import express from "express";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logging/logger";
import { createPluginServer } from "../../src/server/run-plugin-server";

let server: Server;
let port: number;

beforeEach(async () => {
  const app = express();
  app.use(express.json());
  app.post("/echo", (req, res) => {
    res.json({ got: req.body as unknown });
  });
  server = createPluginServer(
    app,
    { headersMs: 600, requestMs: 1_200, keepAliveMs: 500 },
    silentLogger,
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends raw bytes (in parts, with pauses between them) and returns everything the server answers. */
function raw(parts: (string | number)[]): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.on("close", () => {
      resolve({ text, ms: Date.now() - started });
    });
    socket.on("error", reject);
    void (async () => {
      for (const part of parts) {
        if (typeof part === "number") await new Promise((r) => setTimeout(r, part));
        else if (!socket.destroyed) socket.write(part);
      }
    })();
  });
}

function parse(text: string): { status: number; headers: string; body: unknown } {
  const [head = "", body = ""] = text.split("\r\n\r\n");
  return {
    status: Number(head.split(" ")[1]),
    headers: head.toLowerCase(),
    body: JSON.parse(body),
  };
}

describe("the plugin server's own client errors", () => {
  it("answers oversized headers with 431 JSON", async () => {
    const { text } = await raw([
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    ]);
    const res = parse(text);
    expect(res.status).toBe(431);
    expect(res.headers).toContain("content-type: application/json");
    expect(res.body).toEqual({
      error: "headers_too_large",
      message: expect.stringContaining("headers"),
    });
  });

  it("answers a request that is not HTTP with 400 JSON", async () => {
    const res = parse((await raw(["HELLO THERE\r\n\r\n"])).text);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "bad_request", message: "The request is not valid HTTP." });
  });

  it("cuts off a client that trickles its headers, with 408 JSON, at the deadline", async () => {
    const parts: (string | number)[] = ["GET / HTTP/1.1\r\n"];
    for (let i = 0; i < 30; i++) parts.push(100, `X-Slow-${i}: y\r\n`);
    const { text, ms } = await raw(parts);
    const res = parse(text);
    expect(res.status).toBe(408);
    expect(res.body).toMatchObject({ error: "request_timeout" });
    // The deadline is 600 ms, checked every second: well before the 3 s the client wanted.
    expect(ms).toBeLessThan(2_900);
  });

  it("cuts off a client that trickles its body, with 408 JSON", async () => {
    const parts: (string | number)[] = [
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n",
    ];
    for (let i = 0; i < 30; i++) parts.push(100, " ");
    const { text, ms } = await raw(parts);
    expect(parse(text).status).toBe(408);
    expect(ms).toBeLessThan(2_900);
  });

  it("closes an idle keep-alive connection after its timeout", async () => {
    const { text, ms } = await raw([
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    ]);
    expect(text).toContain('{"got":{}}');
    expect(ms).toBeLessThan(2_500);
  });
});
