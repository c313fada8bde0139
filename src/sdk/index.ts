// plugkit's runtime surface: everything a plugin's server and controllers import.
// This file is the complete public API of the runtime; build-time tools are in ./build.
// Named exports only: any export added here becomes public API.

// tsoa's decorators, re-exported under their own names. tsoa finds decorators by name, so
// controllers must use these names as they are (no renaming, no wrappers).
export {
  Body,
  Controller,
  Delete,
  Example,
  Extension,
  Get,
  Header,
  Hidden,
  OperationId,
  Patch,
  Path,
  Post,
  Put,
  Query,
  Request,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from "@tsoa/runtime";

export type { ErrorResponse, FieldError, FieldErrors, HttpErrorOptions } from "./errors";
export {
  BadRequestError,
  ConfigError,
  ConflictError,
  HttpError,
  NotFoundError,
  UnauthorizedError,
} from "./errors";

export type {
  Account,
  ApiTokenInfo,
  AuthStore,
  NewOAuthToken,
  StoredAuthorizationCode,
  StoredOAuthToken,
} from "./auth/auth-store";
export { expressAuthentication } from "./auth/authentication";
export type { Caller, PluginContext } from "./auth/caller";
export { getPluginContext } from "./auth/caller";
export type { Clock } from "./auth/clock";
export { systemClock } from "./auth/clock";
export type { OAuthAuthOptions, SignInLimits } from "./auth/oauth/oauth-auth";
export {
  CHATGPT_REDIRECT_URIS,
  OAUTH_AUTHORIZE_PATH,
  OAUTH_TOKEN_PATH,
  oauthAuth,
} from "./auth/oauth/oauth-auth";
export type { PluginAuth, ServiceHttpAuthOptions, UserHttpAuthOptions } from "./auth/plugin-auth";
export {
  MIN_SECRET_LENGTH,
  SECURITY_SCHEME,
  USER_TOKEN_PREFIX,
  noAuth,
  serviceHttpAuth,
  userHttpAuth,
} from "./auth/plugin-auth";
export { generateToken, hashPassword, hashToken, verifyPassword } from "./auth/secrets";

export { PLUGIN_HOSTNAME, fillPluginHostname } from "./manifest/public-origin-placeholder";

export type { PluginAppOptions } from "./server/create-plugin-app";
export { createPluginApp } from "./server/create-plugin-app";
export { CHATGPT_ORIGINS, parseCorsOrigins } from "./server/cors";
export type { ErrorLogger } from "./server/error-handler";
export type { GeneratedFiles } from "./server/load-generated";
export { loadGeneratedFiles } from "./server/load-generated";
export type { PublicOriginOptions } from "./server/public-origin";
export { parsePublicUrl, resolvePublicOrigin } from "./server/public-origin";
export { servicesContainer } from "./server/services";
export { LOGO_PATH, MANIFEST_PATH, SPEC_PATHS } from "./server/well-known";

export type { OpenApiDocument } from "./spec/openapi-types";

/** The operation extension that tells ChatGPT whether to ask the user before each call. */
export const X_OPENAI_IS_CONSEQUENTIAL = "x-openai-isConsequential";
