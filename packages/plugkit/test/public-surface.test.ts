import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = join(__dirname, "..", "src");

/** Every name a module exports, values and types alike, as the compiler sees them. */
function exportedNames(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    experimentalDecorators: true,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    skipLibCheck: true,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (symbol === undefined) throw new Error(`cannot read ${file}`);
  return checker
    .getExportsOfModule(symbol)
    .map((s) => s.name)
    .sort();
}

// A change to these lists is a change to plugkit's public API: make it on purpose, with a
// CHANGELOG entry.
describe("plugkit's public surface", () => {
  it("plugkit (runtime): decorators, the app and server, config, storage, errors, auth and the request context", () => {
    expect(exportedNames(join(SRC, "index.ts"))).toEqual([
      "Account",
      "AccountError",
      "AccountService",
      "ApiRateLimitConfig",
      "ApiTokenInfo",
      "AuthConfig",
      "AuthStore",
      "BadRequestError",
      "Body",
      "BodyProp",
      "Caller",
      "Clock",
      "ConfigError",
      "ConfigReader",
      "ConflictError",
      "Controller",
      "CreateLoggerOptions",
      "DatabaseLocation",
      "Delete",
      "Deprecated",
      "Env",
      "ErrorResponse",
      "Example",
      "Extension",
      "FieldError",
      "FieldErrors",
      "FormField",
      "Get",
      "Header",
      "Hidden",
      "HttpError",
      "HttpErrorOptions",
      "LoadPluginConfigOptions",
      "LogLevel",
      "Logger",
      "Middlewares",
      "NoSecurity",
      "NotFoundError",
      "OAuthAuthOptions",
      "OAuthGrantInfo",
      "OAuthServer",
      "OpenPluginDatabaseOptions",
      "OperationId",
      "PLUGIN_HOSTNAME",
      "Patch",
      "Path",
      "PluginAppOptions",
      "PluginAuth",
      "PluginConfig",
      "PluginContext",
      "PluginDatabase",
      "PluginMigrations",
      "Post",
      "PostgresDatabase",
      "PostgresLocation",
      "PostgresPluginDatabase",
      "PostgresQueryable",
      "PostgresTls",
      "Produces",
      "Put",
      "Queries",
      "Query",
      "RedisConfig",
      "Request",
      "Response",
      "Route",
      "RunnablePlugin",
      "SchemaInspector",
      "Security",
      "ServerTimeouts",
      "ServiceHttpAuthOptions",
      "ServiceUnavailableError",
      "SignInLimits",
      "SqliteLocation",
      "SqlitePluginDatabase",
      "SuccessResponse",
      "Tags",
      "TooManyRequestsError",
      "UnauthorizedError",
      "UploadedFile",
      "UploadedFiles",
      "UserHttpAuthOptions",
      "X_IDEMPOTENT",
      "X_OPENAI_IS_CONSEQUENTIAL",
      "X_OPEN_WORLD",
      "closePluginApp",
      "createAccountService",
      "createLogger",
      "createPluginApp",
      "getOAuthServer",
      "getPluginContext",
      "loadPluginConfig",
      "noAuth",
      "oauthAuth",
      "openPluginDatabase",
      "runPluginServer",
      "serviceHttpAuth",
      "userHttpAuth",
    ]);
  });

  it("plugkit/build: the manifest config types, the build entry point and its error", () => {
    expect(exportedNames(join(SRC, "build.ts"))).toEqual([
      "BuildWarning",
      "GeneratePluginOptions",
      "GeneratePluginResult",
      "GeneratedFile",
      "MANIFEST_LIMITS",
      "ManifestApiConfig",
      "ManifestAuthConfig",
      "ManifestProblem",
      "PLUGIN_HOSTNAME",
      "PluginBuildError",
      "PluginManifestConfig",
      "findManifestProblems",
      "generatePlugin",
    ]);
  });

  it("plugkit/tsoa: only what the generated routes import", () => {
    expect(exportedNames(join(SRC, "tsoa.ts"))).toEqual([
      "ExpressTemplateService",
      "IocContainer",
      "IocContainerFactory",
      "TsoaRoute",
      "expressAuthentication",
      "fetchMiddlewares",
      "iocContainer",
    ]);
  });

  it("package.json exports exactly these three entry points and the bin", async () => {
    const pkg = (await import("../package.json", { with: { type: "json" } })).default as {
      exports: Record<string, unknown>;
      bin: Record<string, string>;
    };
    expect(Object.keys(pkg.exports)).toEqual([".", "./build", "./tsoa", "./package.json"]);
    expect(pkg.bin).toEqual({ plugkit: "bin/plugkit.js" });
  });
});
