import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { parseDockerfile } from "./dockerfile";

const ROOT = join(__dirname, "..", "..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

interface AppJson {
  stack: string;
  buildpacks: { url: string }[];
  addons: { plan: string }[];
  env: Record<string, { value?: string; generator?: string; required?: boolean }>;
}

describe("the deploy files", () => {
  it("app.json: Postgres and Redis add-ons, generated secrets, and a configuration that loads", () => {
    const app = JSON.parse(read("app.json")) as AppJson;
    expect(app.buildpacks).toEqual([{ url: "heroku/nodejs" }]);
    expect(app.addons.map((a) => a.plan.split(":")[0])).toEqual([
      "heroku-postgresql",
      "heroku-redis",
    ]);
    expect(app.env["SERVICE_AUTH_KEY"]?.generator).toBe("secret");
    expect(app.env["OAUTH_CLIENT_SECRET"]?.generator).toBe("secret");
    // What Heroku would start the app with (a secret generator makes 64 hex characters; the
    // add-ons set DATABASE_URL and REDIS_URL) is a valid configuration, for every auth type.
    const env: Record<string, string> = {
      DATABASE_URL: "postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1",
      REDIS_URL: "rediss://:p@ec2-5-6-7-8.compute-1.amazonaws.com:6380",
    };
    for (const [name, spec] of Object.entries(app.env)) {
      if (spec.value !== undefined) env[name] = spec.value;
      if (spec.generator === "secret") env[name] = "f".repeat(64);
    }
    for (const auth of ["none", "service_http", "user_http", "oauth"]) {
      const config = loadConfig({ ...env, PLUGIN_AUTH: auth });
      expect(config.database.kind).toBe("postgres");
      expect(config.database.kind === "postgres" && config.database.tls).toEqual({
        mode: "encrypt",
      });
      expect(config.redis).toMatchObject({ tlsVerify: false });
      expect(config.trustedProxyHops).toBe(1);
    }
  });

  it("package.json: engines as Heroku reads them, matching this Node", () => {
    const { engines } = JSON.parse(read("package.json")) as { engines: { node: string } };
    expect(engines.node).toBe("20.x");
    expect(process.versions.node.split(".")[0]).toBe("20");
  });

  it("Procfile: node directly, so SIGTERM reaches the server", () => {
    expect(read("Procfile")).toBe("web: node dist/src/server.js\n");
  });

  it("fly.toml: health checks on /healthz, auto stop and start, SIGTERM with time to drain", () => {
    const fly = read("fly.toml");
    expect(fly).toMatch(/path = "\/healthz"/);
    expect(fly).toMatch(/auto_stop_machines = "stop"/);
    expect(fly).toMatch(/auto_start_machines = true/);
    expect(fly).toMatch(/kill_signal = "SIGTERM"/);
    // The server drains for up to 25 s; Fly.io must wait longer before killing it.
    expect(Number(/kill_timeout = "(\d+)s"/.exec(fly)?.[1])).toBeGreaterThan(25);
    expect(fly).toMatch(/TRUSTED_PROXY_HOPS = "1"/);
  });

  it("Dockerfile: multi-stage, production dependencies only, run as `node` by its entrypoint", () => {
    const stages = parseDockerfile(join(ROOT, "Dockerfile"));
    expect(stages).toHaveLength(2);
    const runtime = stages[1]?.instructions ?? [];
    expect(runtime.filter((i) => i.keyword === "RUN" && i.args.includes("npm"))).toEqual([]);
    expect(runtime.find((i) => i.keyword === "ENTRYPOINT")?.args).toBe('["plugkit-entrypoint"]');
    expect(runtime.find((i) => i.keyword === "CMD")?.args).toBe('["node", "dist/src/server.js"]');
    const entrypoint = read("scripts/plugkit-entrypoint.sh");
    expect(entrypoint).toContain(
      'exec setpriv --reuid=node --regid=node --init-groups --inh-caps=-all --no-new-privs -- "$@"',
    );
    expect(entrypoint).toContain("export HOME=/home/node");
    // The scaffold ships the same entrypoint.
    expect(read("packages/plugkit/templates/init/scripts/plugkit-entrypoint.sh")).toBe(entrypoint);
  });
});
