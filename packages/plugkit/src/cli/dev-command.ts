import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, join, relative } from "node:path";
import type * as TypeScript from "typescript";
import { loadTypeScript } from "../build/toolchain";
import { describeBuildFailure, generate, parseBuildFlags } from "./build-command";
import { CliError, DEFAULT_SERVER } from "./project-files";
import { watchTree } from "./watch-tree";

export const DEV_USAGE = `Usage: plugkit dev [options]

Regenerates the plugin's files and restarts the server (with tsx, no compile step) on every
save under src/ or to tsoa.json and tsconfig.json. Type errors are reported after each restart
without stopping the server; a failed build is reported and the last good server keeps serving.

  --server <file>     the server's entry point (default ${DEFAULT_SERVER})
  --manifest <file>   the manifest config module
  --tsoa <file>       the tsoa config (default tsoa.json)
  --no-typecheck      skip the type check after each build`;

const ROOT_FILES = new Set(["tsoa.json", "tsconfig.json"]);

/** `plugkit dev`. Runs until interrupted. */
export async function devMain(args: readonly string[], root: string): Promise<number> {
  const { flags, rest } = parseBuildFlags(args);
  let serverEntry = DEFAULT_SERVER;
  let typecheck = true;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--server") {
      serverEntry = rest[++i] ?? "";
      if (serverEntry === "") throw new CliError("--server needs a value");
    } else if (rest[i] === "--no-typecheck") typecheck = false;
    else throw new CliError(`unknown option ${rest[i] ?? ""}\n\n${DEV_USAGE}`);
  }
  if (!existsSync(join(root, serverEntry))) {
    throw new CliError(
      `${serverEntry} is missing: pass --server <file> with the server's entry point`,
    );
  }
  const log = (message: string): void => {
    console.log(`[dev] ${message}`);
  };
  const checker = typecheck ? createTypeChecker(root) : undefined;

  let server: ChildProcess | undefined;
  let building = false;
  let pending: number | undefined;

  const stopServer = async (): Promise<void> => {
    const running = server;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    server = undefined;
    const exited = new Promise((done) => running.once("exit", done));
    running.kill("SIGTERM");
    await exited;
  };

  const startServer = (startedAt: number): Promise<void> =>
    new Promise((listening) => {
      const child = spawn(process.execPath, ["--import", "tsx", serverEntry], {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"],
      });
      server = child;
      child.stdout.on("data", (chunk: Buffer) => {
        process.stdout.write(chunk);
        if (chunk.toString().includes("listening on")) {
          log(
            `serving the new build ${Math.round(performance.now() - startedAt)} ms after the change`,
          );
          listening();
        }
      });
      child.on("exit", (code, signal) => {
        listening();
        if (server === child && signal === null) {
          log(`server exited with code ${String(code)}; fix the error and save`);
        }
      });
    });

  const rebuild = async (startedAt: number): Promise<void> => {
    if (building) {
      pending ??= startedAt;
      return;
    }
    building = true;
    try {
      const result = await generate(root, flags, { fresh: true, log });
      const changed = result.files.filter((f) => f.changed).map((f) => relative(root, f.path));
      log(
        `generated in ${Math.round(performance.now() - startedAt)} ms${changed.length > 0 ? ` (${changed.join(", ")})` : ""}`,
      );
      await stopServer();
      await startServer(startedAt);
      if (checker !== undefined) {
        const errors = checker();
        log(errors === "" ? "no type errors" : `type errors (the server still runs):\n${errors}`);
      }
    } catch (error) {
      const message =
        describeBuildFailure(error) ??
        (error instanceof Error ? (error.stack ?? error.message) : String(error));
      log(`build failed, still serving the last good build:\n${message}`);
    } finally {
      building = false;
    }
    if (pending !== undefined) {
      const next = pending;
      pending = undefined;
      await rebuild(next);
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let changedAt = 0;
  const onChange = (): void => {
    if (timer === undefined) changedAt = performance.now();
    clearTimeout(timer);
    // Editors write a file in several steps; wait for them to settle.
    timer = setTimeout(() => {
      timer = undefined;
      void rebuild(changedAt);
    }, 100);
  };
  const watchers = [
    watchTree([join(root, "src")], (path) => /\.(ts|json)$/.test(path), onChange),
    watchTree([root], (path) => ROOT_FILES.has(basename(path)), onChange, { recursive: false }),
  ];
  log(`watching src/, tsoa.json and tsconfig.json; serving ${serverEntry}`);
  await rebuild(performance.now());

  return new Promise((done) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        for (const watcher of watchers) watcher.close();
        void stopServer().then(() => {
          done(0);
        });
      });
    }
  });
}

/**
 * An incremental type check of the project's tsconfig.json: each run reuses the previous
 * program, so only changed files are checked again. Returns the formatted errors ("" for none).
 */
function createTypeChecker(root: string): () => string {
  const ts = loadTypeScript();
  const configPath = join(root, "tsconfig.json");
  let previous: TypeScript.SemanticDiagnosticsBuilderProgram | undefined;
  const formatHost: TypeScript.FormatDiagnosticsHost = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
  };
  return () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configPath,
      { noEmit: true },
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    );
    if (parsed === undefined) return `cannot read ${configPath}`;
    const host = ts.createIncrementalCompilerHost(parsed.options);
    const program = ts.createSemanticDiagnosticsBuilderProgram(
      parsed.fileNames,
      parsed.options,
      host,
      previous,
      parsed.errors,
    );
    previous = program;
    const diagnostics = [
      ...program.getConfigFileParsingDiagnostics(),
      ...program.getSyntacticDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program.getSemanticDiagnostics(),
    ];
    return diagnostics.length === 0 ? "" : ts.formatDiagnostics(diagnostics, formatHost).trimEnd();
  };
}
