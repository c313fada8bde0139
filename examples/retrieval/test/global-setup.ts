import { Socket } from "node:net";
import type { TestProject } from "vitest/node" with { "resolution-mode": "import" };

/** The PostgreSQL the PostgreSQL runs use (as the repository's tests: the same variables). */
const POSTGRES = process.env["PLUGKIT_TEST_POSTGRES_URL"] ?? "postgres://127.0.0.1:5432/test";

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL URL, or null when none answers (its runs are skipped). */
    postgresUrl: string | null;
  }
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
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
    socket.connect(Number(port || 5432), hostname.replace(/^\[|\]$/g, ""), () => {
      done(true);
    });
  });
}

/** Finds the PostgreSQL; without one, its runs are skipped (CI, PLUGKIT_REQUIRE_SERVICES=1, fails). */
export default async function setup(project: TestProject): Promise<void> {
  const ok = await reachable(POSTGRES);
  if (!ok && process.env["PLUGKIT_REQUIRE_SERVICES"] === "1") {
    throw new Error(
      `PostgreSQL is required (PLUGKIT_REQUIRE_SERVICES=1) but nothing answers at ${POSTGRES}`,
    );
  }
  if (!ok)
    console.warn(
      `\n  SKIPPED: the retrieval tests on PostgreSQL: nothing answers at ${POSTGRES}\n`,
    );
  project.provide("postgresUrl", ok ? POSTGRES : null);
}
