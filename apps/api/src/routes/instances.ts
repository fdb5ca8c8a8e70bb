import {
  BindingKey,
  BindingKeyList,
  BindingKeyParams,
  CreatedBindingKey,
  Instance,
  InstanceList,
  InstanceParams,
  NameRequest,
} from "@herald/contract";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { createBindingKey, listBindingKeys, revokeBindingKey } from "../services/binding-keys/index.ts";
import { createInstance, listInstances, updateInstance } from "../services/instances/index.ts";
import { errorResponses, json, jsonBody, toBindingKey, toInstance } from "./responses.ts";

const security = [{ Session: [] }];

const listRoute = createRoute({
  method: "get",
  path: "/v1/instances",
  operationId: "listInstances",
  description:
    "The tenant's instances. Each has its own webhooks and binding keys; quotas belong to the tenant.",
  summary: "List instances",
  tags: ["Console"],
  security,
  responses: { 200: json(InstanceList, "Instances"), ...errorResponses(401) },
});
const createInstanceRoute = createRoute({
  method: "post",
  path: "/v1/instances",
  operationId: "createInstance",
  description: 'Creates an instance, such as "Production" beside the "Developer Instance".',
  summary: "Create an instance",
  tags: ["Console"],
  security,
  request: { body: jsonBody(NameRequest) },
  responses: { 201: json(Instance, "Created"), ...errorResponses(400, 401, 415) },
});
const renameRoute = createRoute({
  method: "patch",
  path: "/v1/instances/{instanceId}",
  operationId: "renameInstance",
  description: "Renames an instance; its webhook IDs and binding keys stay as they are.",
  summary: "Rename an instance",
  tags: ["Console"],
  security,
  request: { params: InstanceParams, body: jsonBody(NameRequest) },
  responses: { 200: json(Instance, "Renamed"), ...errorResponses(400, 401, 404, 415) },
});
const createKeyRoute = createRoute({
  method: "post",
  path: "/v1/instances/{instanceId}/binding-keys",
  operationId: "createBindingKey",
  description:
    "Creates a LicenseKey and LicenseSecret pair for one app. The LicenseSecret is in this answer only: Herald keeps only its hash.",
  summary: "Create binding keys (the LicenseSecret is shown once)",
  tags: ["Console"],
  security,
  request: { params: InstanceParams, body: jsonBody(NameRequest) },
  responses: {
    201: json(CreatedBindingKey, "Created; copy the secret now"),
    ...errorResponses(400, 401, 404, 415),
  },
});
const listKeysRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/binding-keys",
  operationId: "listBindingKeys",
  description:
    "The instance's binding keys with when each was created, last used and revoked; never a secret.",
  summary: "List binding keys (no secrets)",
  tags: ["Console"],
  security,
  request: { params: InstanceParams },
  responses: {
    200: json(BindingKeyList, "Binding keys"),
    ...errorResponses(401, 404),
  },
});
const revokeKeyRoute = createRoute({
  method: "delete",
  path: "/v1/instances/{instanceId}/binding-keys/{bindingKeyId}",
  operationId: "revokeBindingKey",
  description:
    "Revokes a pair: sendMessage with it is refused with license_invalid within 5 seconds on every replica. Cannot be undone.",
  summary: "Revoke binding keys",
  tags: ["Console"],
  security,
  request: { params: BindingKeyParams },
  responses: { 200: json(BindingKey, "Revoked"), ...errorResponses(401, 404) },
});

export function instanceRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(listRoute, async (c) => {
    const items = await listInstances({ ctx, tenantId: c.get("session").tenantId });
    return c.json({ items: items.map(toInstance) }, 200);
  });
  app.openapi(createInstanceRoute, async (c) => {
    const row = await createInstance({
      ctx,
      tenantId: c.get("session").tenantId,
      input: c.req.valid("json"),
    });
    return c.json(toInstance(row), 201);
  });
  app.openapi(renameRoute, async (c) => {
    const { instanceId } = c.req.valid("param");
    const row = await updateInstance({
      ctx,
      tenantId: c.get("session").tenantId,
      instanceId,
      input: c.req.valid("json"),
    });
    return c.json(toInstance(row), 200);
  });
  app.openapi(createKeyRoute, async (c) => {
    const { instanceId } = c.req.valid("param");
    const row = await createBindingKey({
      ctx,
      tenantId: c.get("session").tenantId,
      instanceId,
      input: c.req.valid("json"),
    });
    return c.json({ ...toBindingKey(row), licenseSecret: row.licenseSecret }, 201);
  });
  app.openapi(listKeysRoute, async (c) => {
    const { instanceId } = c.req.valid("param");
    const rows = await listBindingKeys({ ctx, tenantId: c.get("session").tenantId, instanceId });
    return c.json({ items: rows.map(toBindingKey) }, 200);
  });
  app.openapi(revokeKeyRoute, async (c) => {
    const { instanceId, bindingKeyId } = c.req.valid("param");
    const row = await revokeBindingKey({
      ctx,
      tenantId: c.get("session").tenantId,
      instanceId,
      bindingKeyId,
    });
    return c.json(toBindingKey(row), 200);
  });
  return app;
}
