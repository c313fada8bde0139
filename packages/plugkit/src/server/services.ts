import type { Request } from "express";
import type { IocContainer, IocContainerFactory } from "@tsoa/runtime";

const SERVICES = "plugkitServices";

/**
 * tsoa's IoC hook for plugin apps: each controller is constructed with the `services` object
 * given to `createPluginApp`, so controllers get their store (or anything else) from the app
 * that serves them rather than from a module-level singleton. Point tsoa's `iocModule` at a
 * file that exports it as `iocContainer`.
 *
 * @example
 * // src/ioc.ts
 * export { servicesContainer as iocContainer } from "./sdk";
 * // a controller
 * constructor(private readonly services: AppServices) { super(); }
 */
export const servicesContainer: IocContainerFactory<Request> = (request) => {
  const services: unknown = request.app.locals[SERVICES];
  const container = {
    get(controller: new (services: unknown) => unknown) {
      return new controller(services);
    },
  };
  return container as unknown as IocContainer;
};

/** Stores the services that {@link servicesContainer} hands to controllers. */
export function setServices(locals: Record<string, unknown>, services: unknown): void {
  locals[SERVICES] = services;
}
