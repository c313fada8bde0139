import { Socket } from "node:net";
import type { TestProject } from "vitest/node" with { "resolution-mode": "import" };

/**
 * The PostgreSQL and Redis that the store, rate-limit and several-instance tests use. A
 * machine without them skips those tests, saying so; `.ci/run` sets PLUGKIT_REQUIRE_SERVICES=1,
 * so CI fails instead.
 */
export const SERVICES = {
  postgres: process.env["PLUGKIT_TEST_POSTGRES_URL"] ?? "postgres://127.0.0.1:5432/test",
  redis: process.env["PLUGKIT_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379",
};

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL URL, or null when none answers (its tests are skipped). */
    postgresUrl: string | null;
    /** The Redis URL, or null when none answers (its tests are skipped). */
    redisUrl: string | null;
  }
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const defaultPort = url.startsWith("redis") ? 6379 : 5432;
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => {
      done(false);
    });
    socket.once("error", () => {
      done(false);
    });
    socket.connect(Number(port || defaultPort), hostname.replace(/^\[|\]$/g, ""), () => {
      done(true);
    });
  });
}

export default async function setup(project: TestProject): Promise<void> {
  const required = process.env["PLUGKIT_REQUIRE_SERVICES"] === "1";
  for (const [name, key, url] of [
    ["PostgreSQL", "postgresUrl", SERVICES.postgres],
    ["Redis", "redisUrl", SERVICES.redis],
  ] as const) {
    const ok = await reachable(url);
    if (!ok && required) {
      throw new Error(
        `${name} is required (PLUGKIT_REQUIRE_SERVICES=1) but nothing answers at ${url}`,
      );
    }
    if (!ok) {
      console.warn(
        `\n  SKIPPED: the ${name} tests, because nothing answers at ${url} (set PLUGKIT_TEST_${name === "Redis" ? "REDIS" : "POSTGRES"}_URL to point at one)\n`,
      );
    }
    project.provide(key, ok ? url : null);
  }
}
