// @herald/console: the tenant web console, usage dashboard and Teams configuration page, mounted by the api.
export { consoleRoutes } from "./app.tsx";
export type { ApiFetch, ConsoleOptions } from "./context.ts";
