// `npm run dev`: regenerates routes, spec and manifest and restarts the server on every save
// under src/ (or to tsoa.json). Generation runs in this process, so the TypeScript compiler
// stays loaded between builds; a failed build is reported and the last good server keeps
// serving.
import { spawn, type ChildProcess } from "node:child_process";
import { watch } from "node:fs";
import { join, resolve } from "node:path";
import { PluginBuildError, generatePlugin } from "../src/sdk/build";

const ROOT = resolve(__dirname, "..");
const SRC = join(ROOT, "src");

let server: ChildProcess | undefined;
let building = false;
let pending = false;

function log(message: string): void {
  console.log(`[dev] ${message}`);
}

/** Loads the manifest config fresh, so edits to it are picked up without restarting dev. */
function loadManifest(): unknown {
  for (const id of Object.keys(require.cache)) {
    if (id.startsWith(SRC)) Reflect.deleteProperty(require.cache, id);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../src/manifest/plugin-manifest") as { pluginManifest: unknown }).pluginManifest;
}

async function stopServer(): Promise<void> {
  const running = server;
  if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
  server = undefined;
  const exited = new Promise((done) => running.once("exit", done));
  running.kill("SIGTERM");
  await exited;
}

function startServer(startedAt: number): void {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  server = child;
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes("listening on")) {
      log(`serving the new build ${Math.round(performance.now() - startedAt)} ms after the change`);
    }
  });
  child.on("exit", (code, signal) => {
    if (server === child && signal === null)
      log(`server exited with code ${String(code)}; fix the error and save`);
  });
}

async function rebuild(startedAt: number): Promise<void> {
  if (building) {
    pending = true;
    return;
  }
  building = true;
  try {
    const result = await generatePlugin({
      manifest: loadManifest() as Parameters<typeof generatePlugin>[0]["manifest"],
      cwd: ROOT,
    });
    for (const warning of result.warnings)
      log(`warning: spec ${warning.where}: ${warning.message}`);
    const changed = result.files.filter((f) => f.changed).map((f) => f.path.slice(ROOT.length + 1));
    log(
      `generated in ${Math.round(performance.now() - startedAt)} ms${changed.length > 0 ? ` (${changed.join(", ")})` : ""}`,
    );
    await stopServer();
    startServer(startedAt);
  } catch (error) {
    log(
      error instanceof PluginBuildError
        ? `build failed, still serving the last good build:\n${error.message}`
        : `build failed: ${String(error)}`,
    );
  } finally {
    building = false;
  }
  if (pending) {
    pending = false;
    await rebuild(performance.now());
  }
}

let timer: NodeJS.Timeout | undefined;
let changedAt = 0;
function onChange(): void {
  if (timer === undefined) changedAt = performance.now();
  clearTimeout(timer);
  // Editors write a file in several steps; wait for them to settle.
  timer = setTimeout(() => {
    timer = undefined;
    void rebuild(changedAt);
  }, 100);
}

watch(SRC, { recursive: true }, onChange);
watch(join(ROOT, "tsoa.json"), onChange);
log("watching src/ and tsoa.json");
void rebuild(performance.now());

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void stopServer().then(() => process.exit(0));
  });
}
