import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { testApps } from "./helpers/test-app";

const start = testApps();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("npm run load -- <folder>", () => {
  it("uploads every readable file under the folder, and loading again replaces them", async () => {
    const { app } = await start();
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => {
        resolve(listening);
      });
    });
    cleanups.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const folder = mkdtempSync(join(tmpdir(), "load-folder-"));
    cleanups.push(() => {
      rmSync(folder, { recursive: true, force: true });
    });
    mkdirSync(join(folder, "sub"));
    writeFileSync(join(folder, "garden.md"), "The zucchini plants need staking in June.");
    writeFileSync(join(folder, "sub", "car.txt"), "The zucchini-green car needs new tyres.");
    writeFileSync(join(folder, "photo.jpg"), "not a document");
    // Asynchronously: the server answering the script runs in this process.
    const load = () =>
      promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "scripts/load-folder.ts", folder, "--url", `http://127.0.0.1:${port}`],
        { cwd: join(__dirname, ".."), encoding: "utf8" },
      );
    for (let i = 0; i < 2; i++) {
      const { stdout } = await load();
      expect(stdout).toContain("2 of 2 files stored.");
    }
    const res = await request(app)
      .post("/query")
      .send({ queries: [{ query: "zucchini", top_k: 10 }] });
    const hits = res.body.results[0].results as { metadata: { source_id: string } }[];
    expect(hits.map((hit) => hit.metadata.source_id).sort()).toEqual(["garden.md", "sub/car.txt"]);
  });
});
