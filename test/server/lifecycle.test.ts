import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startServer, type ServerProcess } from "../helpers/spawn-server";

let dir: string;
const running: ServerProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-lifecycle-"));
});
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await startServer({ DATABASE_URL: `file:${join(dir, "todos.db")}` });
  running.push(server);
  return server;
}

/** A POST whose body is half sent: a request in flight until `finish()`. */
function halfSent(url: string, todo: string): { finish(): void; answer: Promise<string> } {
  const { port } = new URL(url);
  const body = JSON.stringify({ todo });
  const socket: Socket = connect(Number(port), "127.0.0.1");
  socket.write(
    `POST /todos/inflight HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`,
  );
  let text = "";
  socket.on("data", (chunk) => (text += chunk.toString()));
  const answer = new Promise<string>((resolve) => {
    socket.on("close", () => {
      resolve(text);
    });
  });
  return { finish: () => socket.write(body.slice(5)), answer };
}

describe("the server process on SIGTERM", () => {
  it("stops accepting, completes every request in flight, then exits 0; nothing is lost", async () => {
    const server = await start();
    const requests = Array.from({ length: 10 }, (_, i) => halfSent(server.url, `in flight ${i}`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The listener is closed: a new connection is refused.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

    for (const request of requests) request.finish();
    const answers = await Promise.all(requests.map((r) => r.answer));
    // Each answered 200, and its connection was then closed (the answers end with the socket),
    // so none is left idle to hold the shutdown.
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');

    const again = await start();
    const { todos } = (await (await fetch(`${again.url}/todos/inflight`)).json()) as {
      todos: string[];
    };
    expect(todos.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `in flight ${i}`).sort());
  });
});
