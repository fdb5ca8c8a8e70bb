import {
  CreateWebhookRequest,
  ErrorLogPage,
  ErrorLogQuery,
  InstanceParams,
  MessageDetail,
  MessageParams,
  TestWebhookRequest,
  TestWebhookResponse,
  UpdateWebhookRequest,
  Webhook,
  WebhookList,
  WebhookParams,
} from "@herald/contract";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { listErrors } from "../services/errors/list.ts";
import { getMessageDetail } from "../services/messages/detail.ts";
import type { Enqueuer } from "../services/messages/enqueue.ts";
import { createWebhook } from "../services/webhooks/create.ts";
import { deleteWebhook, listWebhooks, requireWebhook, updateWebhook } from "../services/webhooks/manage.ts";
import { testWebhook } from "../services/webhooks/test.ts";
import { errorResponses, json, jsonBody, toErrorLogItem, toMessageDetail, toWebhook } from "./responses.ts";

const security = [{ Session: [] }];
const createWebhookRoute = createRoute({
  method: "post",
  path: "/v1/instances/{instanceId}/webhooks",
  operationId: "createWebhook",
  description:
    "Registers a Teams channel's webhook URL (a legacy connector or a Power Automate Workflows trigger, on a host HERALD_WEBHOOK_HOSTS allows) and answers its generated webhook ID for sendMessage. Counts against the plan's webhook quota.",
  summary: "Register a Teams webhook URL and get its webhook ID",
  tags: ["Console"],
  security,
  request: {
    params: InstanceParams,
    body: jsonBody(CreateWebhookRequest),
  },
  responses: { 201: json(Webhook, "Registered"), ...errorResponses(400, 401, 404, 415, 429) },
});
const listWebhooksRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/webhooks",
  operationId: "listWebhooks",
  description:
    "The instance's webhooks (Teams channels): state, masked URL, warnings, messages Teams accepted in the last 24 hours and distinct senders in the last 30 days.",
  summary: "List webhooks (channels) with alerts posted in the last 24 hours",
  tags: ["Console"],
  security,
  request: { params: InstanceParams },
  responses: { 200: json(WebhookList, "Webhooks"), ...errorResponses(401, 404) },
});
const getWebhookRoute = createRoute({
  method: "get",
  path: "/v1/webhooks/{webhookId}",
  operationId: "getWebhook",
  description: "One webhook, with its state (active, paused, disabled or inactive) and the reason.",
  summary: "Get a webhook",
  tags: ["Console"],
  security,
  request: { params: WebhookParams },
  responses: { 200: json(Webhook, "Webhook"), ...errorResponses(401, 404) },
});
const patchWebhookRoute = createRoute({
  method: "patch",
  path: "/v1/webhooks/{webhookId}",
  operationId: "updateWebhook",
  description:
    "Changes the name, description or URL, or activates or inactivates the webhook. A new URL moves it: the webhook ID, its history and usage stay. Activating clears a pause and the count of refusals.",
  summary: "Edit, activate or inactivate a webhook; a new url moves it (same webhook ID, history and usage)",
  tags: ["Console"],
  security,
  request: {
    params: WebhookParams,
    body: jsonBody(UpdateWebhookRequest),
  },
  responses: { 200: json(Webhook, "Updated"), ...errorResponses(400, 401, 404, 415) },
});
const deleteWebhookRoute = createRoute({
  method: "delete",
  path: "/v1/webhooks/{webhookId}",
  operationId: "deleteWebhook",
  description:
    "Deletes the webhook: sendMessage to its ID is refused from then on, its queued messages fail and its quota slot is freed.",
  summary: "Delete a webhook (frees its quota slot; queued messages fail)",
  tags: ["Console"],
  security,
  request: { params: WebhookParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 404) },
});
const testWebhookRoute = createRoute({
  method: "post",
  path: "/v1/webhooks/{webhookId}/test",
  operationId: "testWebhook",
  summary: "Test this connection: post Herald's test message and report Teams' answer",
  description:
    "Posts Herald's fixed test text through the normal delivery path (within the rate windows) and answers Teams' verdict with its HTTP status. The body, if any, is {}: a field in it (a textMessage, say) is refused with 400 invalid_request. Test messages are not usage; they need an active subscription (403 otherwise), and a webhook may be tested 3 times a minute, an account 20 times (429).",
  tags: ["Console"],
  security,
  request: {
    params: WebhookParams,
    body: {
      required: false,
      content: { "application/json": { schema: TestWebhookRequest } },
    },
  },
  responses: {
    200: json(TestWebhookResponse, "Teams' answer"),
    ...errorResponses(400, 401, 403, 404, 409, 415, 429),
  },
});
const webhookErrorsRoute = createRoute({
  method: "get",
  path: "/v1/webhooks/{webhookId}/errors",
  operationId: "listWebhookErrors",
  description:
    "The webhook's error log, newest first: refusals, rate limits, failures and state changes, each with Teams' answer and what Herald did. Paged with nextCursor.",
  summary: "The webhook's error log, newest first",
  tags: ["Console"],
  security,
  request: { params: WebhookParams, query: ErrorLogQuery },
  responses: { 200: json(ErrorLogPage, "Error log page"), ...errorResponses(401, 404) },
});
const instanceErrorsRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/errors",
  operationId: "listInstanceErrors",
  description:
    "The error log of every webhook of the instance, newest first; filter by webhookId, messageId or classification. Paged with nextCursor.",
  summary: "The instance's error log, newest first",
  tags: ["Console"],
  security,
  request: { params: InstanceParams, query: ErrorLogQuery },
  responses: { 200: json(ErrorLogPage, "Error log page"), ...errorResponses(401, 404) },
});

const instanceMessageRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/messages/{messageId}",
  operationId: "getInstanceMessage",
  description:
    "One message sent through the instance: its state, attempts, Teams' last status and when it finished.",
  summary: "A message of the instance: its delivery state and attempts (the error log links to it)",
  tags: ["Console"],
  security,
  request: { params: InstanceParams.merge(MessageParams) },
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
    return c.json(toWebhook(row, ctx.clock.now()), 201);
  });
  app.openapi(listWebhooksRoute, async (c) => {
    const { instanceId } = c.req.valid("param");
    const rows = await listWebhooks({ ctx, tenantId: c.get("session").tenantId, instanceId });
    return c.json({ items: rows.map((r) => toWebhook(r, ctx.clock.now())) }, 200);
  });
  app.openapi(getWebhookRoute, async (c) => {
    const row = await requireWebhook(ctx, c.get("session").tenantId, c.req.valid("param").webhookId);
    return c.json(toWebhook(row, ctx.clock.now()), 200);
  });
  app.openapi(patchWebhookRoute, async (c) => {
    const row = await updateWebhook({
      ctx,
      tenantId: c.get("session").tenantId,
      webhookId: c.req.valid("param").webhookId,
      input: c.req.valid("json"),
    });
    return c.json(toWebhook(row, ctx.clock.now()), 200);
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
    // Validated for what it must not hold: any field is a 400, since the test text is fixed.
    c.req.valid("json");
    const result = await testWebhook({
      ctx,
      enqueuer,
      tenantId: c.get("session").tenantId,
      webhookId: c.req.valid("param").webhookId,
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
