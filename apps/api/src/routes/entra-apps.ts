// Entra apps: the registrations Herald uses to call flows restricted to a tenant's users.
import {
  CreateEntraAppRequest,
  EntraApp,
  EntraAppList,
  EntraAppParams,
  InstanceParams,
} from "@herald/contract";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { createEntraApp, deleteEntraApp, listEntraApps } from "../services/entra-apps/index.ts";
import { errorResponses, json, jsonBody, toEntraApp } from "./responses.ts";

const security = [{ Session: [] }];
const createRoute_ = createRoute({
  method: "post",
  path: "/v1/instances/{instanceId}/entra-apps",
  operationId: "createEntraApp",
  description:
    "Registers an Entra app (tenant, client ID and secret) with which Herald calls Workflows flows that accept only Entra-authenticated callers. The client secret is stored encrypted and never shown again.",
  summary: "Add an Entra app registration (the client secret is never shown again)",
  tags: ["Console"],
  security,
  request: { params: InstanceParams, body: jsonBody(CreateEntraAppRequest) },
  responses: { 201: json(EntraApp, "Added"), ...errorResponses(400, 401, 404, 415) },
});
const listRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/entra-apps",
  operationId: "listEntraApps",
  description: "The instance's Entra apps, without their secrets.",
  summary: "List Entra apps (no secrets)",
  tags: ["Console"],
  security,
  request: { params: InstanceParams },
  responses: { 200: json(EntraAppList, "Entra apps"), ...errorResponses(401, 404) },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/entra-apps/{entraAppId}",
  operationId: "deleteEntraApp",
  description: "Removes an Entra app; refused with 409 while a webhook uses it.",
  summary: "Remove an Entra app (refused while a webhook uses it)",
  tags: ["Console"],
  security,
  request: { params: EntraAppParams },
  responses: { 204: { description: "Removed" }, ...errorResponses(401, 404, 409) },
});

export function entraAppRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(createRoute_, async (c) => {
    const row = await createEntraApp({
      ctx,
      tenantId: c.get("session").tenantId,
      instanceId: c.req.valid("param").instanceId,
      input: c.req.valid("json"),
    });
    return c.json(toEntraApp(row), 201);
  });
  app.openapi(listRoute, async (c) => {
    const rows = await listEntraApps({
      ctx,
      tenantId: c.get("session").tenantId,
      instanceId: c.req.valid("param").instanceId,
    });
    return c.json({ items: rows.map(toEntraApp) }, 200);
  });
  app.openapi(deleteRoute, async (c) => {
    await deleteEntraApp({
      ctx,
      tenantId: c.get("session").tenantId,
      entraAppId: c.req.valid("param").entraAppId,
    });
    return c.body(null, 204);
  });
  return app;
}
