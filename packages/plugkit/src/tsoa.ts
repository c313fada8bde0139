// plugkit/tsoa: what the routes that `plugkit build` generates import. It is not for
// controllers (they import from "plugkit"). It supplies tsoa's runtime from plugkit's own copy,
// with plugkit's validation rules installed, the authentication hook that runs the app's auth
// type, and the IoC container that hands each controller the app's services.
export type { IocContainer, IocContainerFactory, TsoaRoute } from "@tsoa/runtime";
export { fetchMiddlewares } from "@tsoa/runtime/dist/decorators/middlewares";
export { ExpressTemplateService } from "./tsoa/lazy-template-service";
export { expressAuthentication } from "./auth/authentication";
export { servicesContainer as iocContainer } from "./server/services";
