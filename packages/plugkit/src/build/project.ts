import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { Config as TsoaConfig } from "@tsoa/runtime";
import type { ExtendedRoutesConfig, ExtendedSpecConfig } from "@tsoa/cli";
import type { CompilerOptions } from "typescript";
import { loadTypeScript } from "./toolchain";
import { PluginBuildError } from "./build-error";

/** A plugin project's build settings: tsoa.json with every path made absolute. */
export interface PluginProject {
  root: string;
  tsoaConfigPath: string;
  controllerPathGlobs: string[];
  /** Where openapi.yaml, openapi.json and ai-plugin.json go. */
  specDir: string;
  /** Where routes.ts goes. */
  routesFile: string;
  specConfig: ExtendedSpecConfig;
  routesConfig: ExtendedRoutesConfig;
  /** The project's tsconfig.json options, so tsoa resolves modules the way tsc does. */
  compilerOptions: CompilerOptions;
}

/** tsoa.json settings plugkit supplies itself; setting them would break the generated routes. */
const OWNED_ROUTE_SETTINGS = ["middlewareTemplate", "iocModule", "authenticationModule"] as const;

const ROUTES_TEMPLATE = join(__dirname, "..", "..", "templates", "routes", "express.hbs");

/** The route template plugkit renders tsoa's metadata with. */
export function routesTemplate(): string {
  return readFileSync(ROUTES_TEMPLATE, "utf8");
}

/** Reads a project's tsoa.json (and tsconfig.json), checking what plugkit relies on. */
export function readProject(root: string, tsoaConfigPath = "tsoa.json"): PluginProject {
  const configPath = resolve(root, tsoaConfigPath);
  const config = readJson(configPath, "the tsoa config") as Partial<TsoaConfig>;
  const problems: string[] = [];
  const where = tsoaConfigPath;
  const globs = config.controllerPathGlobs;
  if (!Array.isArray(globs) || globs.length === 0 || !globs.every((g) => typeof g === "string")) {
    problems.push(
      `${where}: controllerPathGlobs must list where the controllers are, e.g. ["src/controllers/**/*-controller.ts"]`,
    );
  }
  if (config.entryFile !== undefined) {
    problems.push(
      `${where}: entryFile is not used by plugkit; list the controllers in controllerPathGlobs`,
    );
  }
  const spec = config.spec ?? ({} as Partial<TsoaConfig["spec"]>);
  if (spec.specVersion !== undefined && spec.specVersion !== 3) {
    problems.push(`${where}: spec.specVersion must be 3 (plugins read OpenAPI 3.0) or left out`);
  }
  for (const name of ["name", "description", "version"] as const) {
    if (typeof spec[name] !== "string" || spec[name].trim() === "") {
      problems.push(
        `${where}: spec.${name} is required: it becomes the spec's info.${name === "name" ? "title" : name}`,
      );
    }
  }
  const routes = config.routes ?? ({} as Partial<TsoaConfig["routes"]>);
  for (const name of OWNED_ROUTE_SETTINGS) {
    if (routes[name] !== undefined) {
      problems.push(
        `${where}: routes.${name} is supplied by plugkit (its route template imports the runtime, the auth hook and the IoC container from plugkit/tsoa); remove it`,
      );
    }
  }
  if (routes.middleware !== undefined && routes.middleware !== "express") {
    problems.push(`${where}: routes.middleware must be "express" or left out`);
  }
  if (problems.length > 0) {
    throw new PluginBuildError(
      `${where} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:`,
      problems,
    );
  }

  const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(root, path));
  const controllerPathGlobs = (globs as string[]).map(absolute);
  const specDir = absolute(spec.outputDirectory ?? "generated");
  const routesDir = absolute(routes.routesDir ?? specDir);
  const routesFileName = routes.routesFileName ?? "routes.ts";
  const noImplicitAdditionalProperties = config.noImplicitAdditionalProperties ?? "throw-on-extras";

  const specConfig: ExtendedSpecConfig = {
    ...(spec as TsoaConfig["spec"]),
    outputDirectory: specDir,
    specVersion: 3,
    yaml: false,
    specFileBaseName: "openapi",
    basePath: spec.basePath ?? "/",
    operationIdTemplate: spec.operationIdTemplate ?? "{{titleCase method.name}}",
    entryFile: "",
    noImplicitAdditionalProperties,
    controllerPathGlobs,
  };
  const routesConfig: ExtendedRoutesConfig = {
    ...(routes as TsoaConfig["routes"]),
    routesDir,
    routesFileName,
    middleware: "express",
    basePath: routes.basePath ?? "/",
    bodyCoercion: routes.bodyCoercion ?? false,
    entryFile: "",
    noImplicitAdditionalProperties,
    controllerPathGlobs,
    rootSecurity: spec.rootSecurity,
  };
  return {
    root,
    tsoaConfigPath: configPath,
    controllerPathGlobs,
    specDir,
    routesFile: join(routesDir, routesFileName),
    specConfig,
    routesConfig,
    compilerOptions: readCompilerOptions(root),
  };
}

/** The compiler options of the project's tsconfig.json, or tsoa's defaults when it has none. */
function readCompilerOptions(root: string): CompilerOptions {
  const path = join(root, "tsconfig.json");
  if (!existsSync(path)) return {};
  const ts = loadTypeScript();
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new PluginBuildError("Cannot read tsconfig.json:", [
          ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
        ]);
      },
    },
  );
  // Only how modules and types resolve matters to tsoa; emit settings are irrelevant.
  const {
    noEmit: _noEmit,
    outDir: _outDir,
    declaration: _declaration,
    ...options
  } = parsed?.options ?? {};
  return options;
}

export function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new PluginBuildError(`Cannot read ${what}:`, [`${path}: ${String(cause)}`], { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new PluginBuildError(`${what} is not valid JSON:`, [`${path}: ${String(cause)}`], {
      cause,
    });
  }
}
