import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pluginManifest } from "../../src/manifest/plugin-manifest";
import { generatePlugin } from "plugkit/build";
import { startServer } from "../helpers/spawn-server";

const ROOT = join(__dirname, "..", "..");
const TMP_ROOT = join(ROOT, ".test-tmp");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A copy of this plugin's project (inside the repo, so node_modules resolve) without one controller. */
async function pluginWithout(controller: string): Promise<string> {
  mkdirSync(TMP_ROOT, { recursive: true });
  const dir = mkdtempSync(join(TMP_ROOT, "plugin-"));
  dirs.push(dir);
  for (const entry of ["src", "assets", "tsoa.json", "tsconfig.json", "tsconfig.base.json"])
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  rmSync(join(dir, "src", "controllers", controller));
  await generatePlugin({ manifest: pluginManifest, cwd: dir });
  return dir;
}

async function serve(
  dir: string,
): Promise<{ url: string; paths: string[]; stop: () => Promise<void> }> {
  const database = join(mkdtempSync(join(tmpdir(), "plugkit-rm-")), "db.sqlite");
  const server = await startServer({ DATABASE_URL: `file:${database}` }, dir);
  const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
    paths: Record<string, unknown>;
  };
  return {
    url: server.url,
    paths: Object.keys(spec.paths),
    stop: async () => {
      server.child.kill("SIGKILL");
      await server.exited;
    },
  };
}

describe("removing one controller and rebuilding", () => {
  it("leaves a working TODO plugin without the stats operations", async () => {
    const plugin = await serve(await pluginWithout("stats-controller.ts"));
    try {
      expect(plugin.paths).toEqual(["/todos/{username}"]);
      const add = await fetch(`${plugin.url}/todos/global`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ todo: "still works" }),
      });
      expect(add.status).toBe(200);
      expect(await (await fetch(`${plugin.url}/todos/global`)).json()).toEqual({
        todos: ["still works"],
      });
      expect((await fetch(`${plugin.url}/teams`)).status).toBe(404);
    } finally {
      await plugin.stop();
    }
  });

  it("leaves a working stats plugin without the TODO operations", async () => {
    const plugin = await serve(await pluginWithout("todos-controller.ts"));
    try {
      expect(plugin.paths).toEqual(["/games", "/players", "/season_averages", "/stats", "/teams"]);
      const teams = (await (await fetch(`${plugin.url}/teams`)).json()) as { data: unknown[] };
      expect(teams.data).toHaveLength(30);
      expect((await fetch(`${plugin.url}/todos/global`)).status).toBe(404);
    } finally {
      await plugin.stop();
    }
  });
});
