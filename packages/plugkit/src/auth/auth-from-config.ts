import type { AuthConfig } from "../config/plugin-config";
import { ConfigError } from "../errors";
import type { ThrottleStore } from "../limits/throttle-store";
import type { AuthStore } from "./auth-store";
import type { Clock } from "./clock";
import { oauthAuth } from "./oauth/oauth-auth";
import { noAuth, serviceHttpAuth, userHttpAuth, type PluginAuth } from "./plugin-auth";

/** What {@link authFromConfig} needs beside the configuration. */
export interface AuthContext {
  /** Accounts and tokens; required by `user_http` and `oauth`. */
  store: AuthStore | undefined;
  /** Shown on the OAuth sign-in page. */
  pluginName: string;
  /** What the user grants, shown on the OAuth sign-in page. */
  consentText?: string | undefined;
  publicUrl: string | undefined;
  trustedProxyHops: number;
  /** OAuth scopes and what each allows. */
  oauthScopes?: Readonly<Record<string, string>> | undefined;
  /** Paths that are protected resources of their own besides the origin (`/mcp`). */
  resourcePaths?: readonly string[] | undefined;
  clock: Clock | undefined;
  /** Where sign-in and registration attempts are counted. @default the store's tables */
  throttles?: ThrottleStore | undefined;
}

/** The auth type a configuration (`PLUGIN_AUTH` and its variables) asks for. */
export function authFromConfig(config: AuthConfig, context: AuthContext): PluginAuth {
  const store = (): AuthStore => {
    if (context.store === undefined) {
      throw new ConfigError(
        `PLUGIN_AUTH=${config.type} needs a database for accounts and tokens: pass createPluginApp({ database })`,
      );
    }
    return context.store;
  };
  const clock = context.clock === undefined ? {} : { clock: context.clock };
  switch (config.type) {
    case "none":
      return noAuth();
    case "service_http":
      return serviceHttpAuth(config);
    case "user_http":
      return userHttpAuth({
        store: store(),
        authorizationType: config.authorizationType,
        ...clock,
      });
    case "oauth":
      return oauthAuth({
        store: store(),
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        redirectUris: config.redirectUris,
        allowRedirectWildcards: config.allowRedirectWildcards,
        dynamicRegistration: config.dynamicRegistration,
        verificationToken: config.verificationToken,
        ...(context.oauthScopes === undefined ? {} : { scopes: context.oauthScopes }),
        ...(context.resourcePaths === undefined ? {} : { resourcePaths: context.resourcePaths }),
        pluginName: context.pluginName,
        ...(context.consentText === undefined ? {} : { consentText: context.consentText }),
        codeLifetimeSeconds: config.codeTtl,
        accessTokenLifetimeSeconds: config.accessTokenTtl,
        refreshTokenLifetimeSeconds: config.refreshTokenTtl,
        trustedProxyHops: context.trustedProxyHops,
        publicUrl: context.publicUrl,
        ...(context.throttles === undefined ? {} : { throttles: context.throttles }),
        ...clock,
      });
  }
}
