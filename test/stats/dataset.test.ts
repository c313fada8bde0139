import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { STATS_DATASET } from "../../src/services";

describe("the embedded stats dataset", () => {
  it("is exactly what scripts/generate-stats-dataset.ts produces (the committed copy is current)", () => {
    const dir = mkdtempSync(join(tmpdir(), "plugkit-dataset-"));
    try {
      const out = join(dir, "dataset.json.gz");
      const run = spawnSync(
        process.execPath,
        ["--import", "tsx", "scripts/generate-stats-dataset.ts", out],
        {
          cwd: join(__dirname, "..", ".."),
          encoding: "utf8",
        },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(readFileSync(out).equals(readFileSync(STATS_DATASET))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("states its source, its license and that it is synthetic", () => {
    const dataset = JSON.parse(gunzipSync(readFileSync(STATS_DATASET)).toString("utf8")) as Record<
      string,
      unknown
    >;
    expect(dataset["description"]).toMatch(/^SYNTHETIC/);
    expect(dataset["source"]).toContain("scripts/generate-stats-dataset.ts");
    expect(dataset["license"]).toMatch(/^CC0-1.0/);
  });
});
