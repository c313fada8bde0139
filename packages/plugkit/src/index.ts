// plugkit's runtime surface: what a plugin's controllers, app and server import.
// This file is the complete public API of the runtime; the build surface is plugkit/build, and
// plugkit/tsoa is for the generated routes only. Named exports only: any export added here
// becomes public API (test/public-surface.test.ts pins the list).

// tsoa's decorators, re-exported under their own names. tsoa finds decorators by name, so
// controllers must use these names as they are (no renaming, no wrappers); the build refuses
// renamed imports.
// From tsoa's decorator modules themselves: its index would also load its validation runtime,
// which only the generated routes need, on their first request (see tsoa/lazy-template-service).
import "reflect-metadata";
export {
  Body,
  BodyProp,
  FormField,
  Header,
  Path,
  Queries,
  Query,
  Request,
  UploadedFile,
  UploadedFiles,
} from "@tsoa/runtime/dist/decorators/parameter";
export { Delete, Get, Patch, Post, Put } from "@tsoa/runtime/dist/decorators/methods";
export { Hidden, Route } from "@tsoa/runtime/dist/decorators/route";
export { NoSecurity, Security } from "@tsoa/runtime/dist/decorators/security";
export { Tags } from "@tsoa/runtime/dist/decorators/tags";
export { OperationId } from "@tsoa/runtime/dist/decorators/operationid";
export { Extension } from "@tsoa/runtime/dist/decorators/extension";
export { Middlewares } from "@tsoa/runtime/dist/decorators/middlewares";
export { Example } from "@tsoa/runtime/dist/decorators/example";
export { Deprecated } from "@tsoa/runtime/dist/decorators/deprecated";
export { Produces, Response, SuccessResponse } from "@tsoa/runtime/dist/decorators/response";
export { Controller } from "@tsoa/runtime/dist/interfaces/controller";

/** The operation extension that tells ChatGPT whether to ask the user before each call. */
export const X_OPENAI_IS_CONSEQUENTIAL = "x-openai-isConsequential";
export { X_IDEMPOTENT, X_OPEN_WORLD } from "./mcp/mcp-tools";
export { PLUGIN_HOSTNAME } from "./manifest/public-origin-placeholder";

// The app and the process.
export type { PluginAppOptions } from "./server/create-plugin-app";
export { createPluginApp } from "./server/create-plugin-app";
export { closePluginApp } from "./server/plugin-runtime";
export type { RunnablePlugin, ServerTimeouts } from "./server/run-plugin-server";
export { runPluginServer } from "./server/run-plugin-server";
export type { CreateLoggerOptions, LogLevel, Logger } from "./logging/logger";
export { createLogger } from "./logging/logger";

// Configuration, read from the environment in one place.
export type {
  AuthConfig,
  DatabaseLocation,
  LoadPluginConfigOptions,
  PluginConfig,
  SqliteLocation,
} from "./config/plugin-config";
export type { PostgresLocation, PostgresTls } from "./config/postgres-url";
export type { ApiRateLimitConfig } from "./limits/api-rate-limit";
export type { RedisConfig } from "./limits/redis-connection";
export { loadPluginConfig } from "./config/plugin-config";
export type { Env } from "./config/config-reader";
export { ConfigReader } from "./config/config-reader";

// Storage: plugkit's auth tables and the plugin's own, in one database.
export type {
  OpenPluginDatabaseOptions,
  PluginDatabase,
  PostgresPluginDatabase,
  SqlitePluginDatabase,
} from "./store/plugin-database";
export { openPluginDatabase } from "./store/plugin-database";
export type { PluginMigrations, SchemaInspector } from "./store/sqlite-migrations";
export type { PostgresDatabase, PostgresQueryable } from "./store/postgres/postgres-database";

// Errors: each becomes a JSON response with its status.
export type { ErrorResponse, FieldError, FieldErrors, HttpErrorOptions } from "./errors";
export {
  BadRequestError,
  ConfigError,
  ConflictError,
  HttpError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
} from "./errors";

// The four auth types, and the accounts they sign in.
export type { PluginAuth, ServiceHttpAuthOptions, UserHttpAuthOptions } from "./auth/plugin-auth";
export { noAuth, serviceHttpAuth, userHttpAuth } from "./auth/plugin-auth";
export type { OAuthAuthOptions, OAuthServer, SignInLimits } from "./auth/oauth/oauth-auth";
export { oauthAuth } from "./auth/oauth/oauth-auth";
export { getOAuthServer } from "./auth/authentication";
export type { Account, ApiTokenInfo, AuthStore, OAuthGrantInfo } from "./auth/auth-store";
export type { AccountService } from "./auth/accounts";
export { AccountError, createAccountService } from "./auth/accounts";
export type { Clock } from "./auth/clock";

// Who is calling, and what ChatGPT says about the call.
export type { Caller, PluginContext } from "./auth/caller";
export { getPluginContext } from "./auth/caller";
