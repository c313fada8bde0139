import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** A server process started the way `npm start` starts one, from the TypeScript sources. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
}

interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | NodeJS.Signals | null>;
}

function spawnServer(env: Record<string, string>, cwd = ROOT): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd,
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.on("exit", (code, signal) => {
      resolve(code ?? signal);
    });
  });
  return { child, output: () => output, exited };
}

/** Starts src/server.ts (of this project, or of the project in `cwd`) with `env` on a free port and waits until it listens. */
export async function startServer(
  env: Record<string, string>,
  cwd?: string,
): Promise<ServerProcess> {
  const spawned = spawnServer(env, cwd);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind the failed test.
      spawned.child.kill("SIGKILL");
      reject(new Error(`server did not start within 30 s:\n${spawned.output()}`));
    }, 30_000);
    spawned.child.stdout?.on("data", () => {
      const match = /listening on (http:\/\/localhost:\d+)/.exec(spawned.output());
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void spawned.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${String(code)}) before listening:\n${spawned.output()}`));
    });
  });
  return { url, ...spawned };
}

/** Runs src/server.ts with `env` and returns how it ended, for configurations that must fail. */
export async function runServerExpectingExit(
  env: Record<string, string>,
): Promise<{ code: number | NodeJS.Signals | null; output: string }> {
  const spawned = spawnServer(env);
  const timer = setTimeout(() => spawned.child.kill("SIGKILL"), 30_000);
  const code = await spawned.exited;
  clearTimeout(timer);
  return { code, output: spawned.output() };
}
