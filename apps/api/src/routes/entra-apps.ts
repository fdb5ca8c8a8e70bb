// Entra apps: the registrations Herald uses to call flows restricted to a tenant's users.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { createEntraApp, deleteEntraApp, listEntraApps } from "../services/entra-apps/index.ts";
import { EntraApp, errorResponses, json, jsonBody, toEntraApp } from "./schemas.ts";

const security = [{ Session: [] }];
const InstanceParams = z.object({ instanceId: z.string().min(1).max(64) });
const Guid = z
  .string()
  .trim()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47",
  );

const CreateEntraApp = z
  .object({
    name: z.string().trim().min(1).max(200),
    tenantId: z.union([
      Guid,
      z
        .string()
        .trim()
        .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, "must be a tenant GUID or domain"),
    ]),
    clientId: Guid,
    clientSecret: z.string().min(1).max(1024),
    audience: z.string().url().max(200).optional().openapi({
      description:
        "Power Automate's audience; default https://service.flow.microsoft.com/ (GCC: https://gov.service.flow.microsoft.us/).",
    }),
  })
  .strict();

const createRoute_ = createRoute({
  method: "post",
  path: "/v1/instances/{instanceId}/entra-apps",
  summary: "Add an Entra app registration (the client secret is never shown again)",
  tags: ["Console"],
  security,
  request: { params: InstanceParams, body: jsonBody(CreateEntraApp) },
  responses: { 201: json(EntraApp, "Added"), ...errorResponses(400, 401, 404) },
});
const listRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/entra-apps",
  summary: "List Entra apps (no secrets)",
  tags: ["Console"],
  security,
  request: { params: InstanceParams },
  responses: { 200: json(z.object({ items: z.array(EntraApp) }), "Entra apps"), ...errorResponses(401, 404) },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/entra-apps/{entraAppId}",
  summary: "Remove an Entra app (refused while a webhook uses it)",
  tags: ["Console"],
  security,
  request: { params: z.object({ entraAppId: z.string().min(1).max(64) }) },
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
