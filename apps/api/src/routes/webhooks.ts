import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { listErrors } from "../services/errors/list.ts";
import { getMessageDetail } from "../services/messages/detail.ts";
import type { Enqueuer } from "../services/messages/enqueue.ts";
import { createWebhook } from "../services/webhooks/create.ts";
import { deleteWebhook, listWebhooks, requireWebhook, updateWebhook } from "../services/webhooks/manage.ts";
import { testWebhook } from "../services/webhooks/test.ts";
import {
  ErrorLogItem,
  errorResponses,
  json,
  jsonBody,
  MessageDetail,
  SendMessageResponse,
  toErrorLogItem,
  toMessageDetail,
  toWebhook,
  Webhook,
} from "./schemas.ts";

const security = [{ Session: [] }];
const InstanceParams = z.object({ instanceId: z.string().min(1).max(64) });
const WebhookParams = z.object({ webhookId: z.string().min(1).max(64) });
const Url = z
  .string()
  .min(1)
  .max(2048)
  .openapi({ example: "https://contoso.webhook.office.com/webhookb2/…" });
const Description = z.string().max(1000);
const EntraAppId = z.string().min(1).max(64).nullable().openapi({
  description: "The Entra app whose token is sent to a flow restricted to a tenant's users; null: none.",
});
const RatePolicyText = z.string().trim().min(1).max(200).nullable().openapi({
  description:
    "This webhook's own rate policy (\"2/1s,100/60s\"), overriding its kind's default; null: the default.",
});

const ErrorLogQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z
    .string()
    .regex(/^el_[0-9a-f]{32}$/, "must be the nextCursor of a previous page")
    .optional()
    .openapi({ description: "nextCursor of the previous page" }),
  classification: z
    .enum([
      "gone",
      "throttled",
      "bad_request",
      "transient",
      "too_large",
      "redirect",
      "state",
      "flow_off",
      "flow_deleted",
      "flow_unauthorized",
      "entra_refused",
    ])
    .optional(),
  webhookId: z.string().max(64).optional(),
  messageId: z.string().max(64).optional(),
});
const ErrorLogPage = z.object({ items: z.array(ErrorLogItem), nextCursor: z.string().nullable() });

const createWebhookRoute = createRoute({
  method: "post",
  path: "/v1/instances/{instanceId}/webhooks",
  summary: "Register a Teams webhook URL and get its webhook ID",
  tags: ["Console"],
  security,
  request: {
    params: InstanceParams,
    body: jsonBody(
      z.object({
        name: z.string().trim().min(1).max(200),
        url: Url,
        description: Description.optional(),
        entraAppId: EntraAppId.optional(),
        ratePolicy: RatePolicyText.optional(),
      }),
    ),
  },
  responses: { 201: json(Webhook, "Registered"), ...errorResponses(400, 401, 404, 429) },
});
const listWebhooksRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/webhooks",
  summary: "List webhooks (channels) with alerts posted in the last 24 hours",
  tags: ["Console"],
  security,
  request: { params: InstanceParams },
  responses: { 200: json(z.object({ items: z.array(Webhook) }), "Webhooks"), ...errorResponses(401, 404) },
});
const getWebhookRoute = createRoute({
  method: "get",
  path: "/v1/webhooks/{webhookId}",
  summary: "Get a webhook",
  tags: ["Console"],
  security,
  request: { params: WebhookParams },
  responses: { 200: json(Webhook, "Webhook"), ...errorResponses(401, 404) },
});
const patchWebhookRoute = createRoute({
  method: "patch",
  path: "/v1/webhooks/{webhookId}",
  summary: "Edit, activate or inactivate a webhook; a new url moves it (same webhook ID, history and usage)",
  tags: ["Console"],
  security,
  request: {
    params: WebhookParams,
    body: jsonBody(
      z
        .object({
          name: z.string().trim().min(1).max(200).optional(),
          url: Url.optional(),
          description: Description.nullable().optional(),
          active: z.boolean().optional(),
          entraAppId: EntraAppId.optional(),
          ratePolicy: RatePolicyText.optional(),
        })
        .strict(),
    ),
  },
  responses: { 200: json(Webhook, "Updated"), ...errorResponses(400, 401, 404) },
});
const deleteWebhookRoute = createRoute({
  method: "delete",
  path: "/v1/webhooks/{webhookId}",
  summary: "Delete a webhook (frees its quota slot; queued messages fail)",
  tags: ["Console"],
  security,
  request: { params: WebhookParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 404) },
});
const testWebhookRoute = createRoute({
  method: "post",
  path: "/v1/webhooks/{webhookId}/test",
  summary: "Test this connection: post a test message and report Teams' answer",
  tags: ["Console"],
  security,
  request: {
    params: WebhookParams,
    body: {
      required: false,
      content: { "application/json": { schema: z.object({ textMessage: z.string().max(2000).optional() }) } },
    },
  },
  responses: {
    200: json(SendMessageResponse.extend({ httpStatus: z.number().int().nullable() }), "Teams' answer"),
    ...errorResponses(401, 404, 409),
  },
});
const webhookErrorsRoute = createRoute({
  method: "get",
  path: "/v1/webhooks/{webhookId}/errors",
  summary: "The webhook's error log, newest first",
  tags: ["Console"],
  security,
  request: { params: WebhookParams, query: ErrorLogQuery },
  responses: { 200: json(ErrorLogPage, "Error log page"), ...errorResponses(401, 404) },
});
const instanceErrorsRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/errors",
  summary: "The instance's error log, newest first",
  tags: ["Console"],
  security,
  request: { params: InstanceParams, query: ErrorLogQuery },
  responses: { 200: json(ErrorLogPage, "Error log page"), ...errorResponses(401, 404) },
});

const instanceMessageRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/messages/{messageId}",
  summary: "A message of the instance: its delivery state and attempts (the error log links to it)",
  tags: ["Console"],
  security,
  request: { params: InstanceParams.extend({ messageId: z.string().min(1).max(64) }) },
  responses: { 200: json(MessageDetail, "The message"), ...errorResponses(401, 404) },
});

export function webhookRoutes(ctx: AppContext, enqueuer: Enqueuer) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(createWebhookRoute, async (c) => {
    const { instanceId } = c.req.valid("param");
    const row = await createWebhook({
      ctx,
      tenantId: c.get("session").tenantId,
      instanceId,
      input: c.req.valid("json"),
    });
    return c.json(toWebhook(row), 201);
  });
  app.openapi(listWebhooksRoute, async (c) => {
    const { instanceId } = c.req.valid("param");
    const rows = await listWebhooks({ ctx, tenantId: c.get("session").tenantId, instanceId });
    return c.json({ items: rows.map((r) => toWebhook(r)) }, 200);
  });
  app.openapi(getWebhookRoute, async (c) => {
    const row = await requireWebhook(ctx, c.get("session").tenantId, c.req.valid("param").webhookId);
    return c.json(toWebhook(row), 200);
  });
  app.openapi(patchWebhookRoute, async (c) => {
    const row = await updateWebhook({
      ctx,
      tenantId: c.get("session").tenantId,
      webhookId: c.req.valid("param").webhookId,
      input: c.req.valid("json"),
    });
    return c.json(toWebhook(row), 200);
  });
  app.openapi(deleteWebhookRoute, async (c) => {
    await deleteWebhook({
      ctx,
      tenantId: c.get("session").tenantId,
      webhookId: c.req.valid("param").webhookId,
    });
    return c.body(null, 204);
  });
  app.openapi(testWebhookRoute, async (c) => {
    const body = c.req.valid("json") ?? {};
    const result = await testWebhook({
      ctx,
      enqueuer,
      tenantId: c.get("session").tenantId,
      webhookId: c.req.valid("param").webhookId,
      input: body,
    });
    return c.json(result, 200);
  });
  app.openapi(webhookErrorsRoute, async (c) => {
    const page = await listErrors({
      ctx,
      tenantId: c.get("session").tenantId,
      scope: { webhookId: c.req.valid("param").webhookId },
      page: c.req.valid("query"),
    });
    return c.json({ items: page.items.map(toErrorLogItem), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(instanceErrorsRoute, async (c) => {
    const page = await listErrors({
      ctx,
      tenantId: c.get("session").tenantId,
      scope: { instanceId: c.req.valid("param").instanceId },
      page: c.req.valid("query"),
    });
    return c.json({ items: page.items.map(toErrorLogItem), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(instanceMessageRoute, async (c) => {
    const { instanceId, messageId } = c.req.valid("param");
    const row = await getMessageDetail({ ctx, tenantId: c.get("session").tenantId, instanceId, messageId });
    return c.json(toMessageDetail(row), 200);
  });
  return app;
}
