// tsoa checks `@Security("plugin")` operations through this module (tsoa.json
// `routes.authenticationModule`); the SDK runs whichever auth type the app was created with.
export { expressAuthentication } from "./sdk";
