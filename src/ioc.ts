// tsoa constructs controllers through this module (tsoa.json `routes.iocModule`): each one
// receives the services the app was created with (see src/services.ts).
export { servicesContainer as iocContainer } from "./sdk";
