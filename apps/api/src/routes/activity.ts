// The activity API: what a low-code platform calls (sendMessage, message status, license validation).

import {
  LicenseInvalid,
  LicenseValid,
  LicenseValidateRequest,
  MessageParams,
  SendMessageHeaders,
  SendMessageQuery,
  SendMessageRequest,
  SendMessageResponse,
  UpdateMessageRequest,
} from "@herald/contract";
import { getMessage } from "@herald/db";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import { found } from "../errors.ts";
import type { AppEnv } from "../hono-env.ts";
import { editBotMessage } from "../services/bot/edit.ts";
import { presentBotAware } from "../services/bot/present.ts";
import { credentialsFromHeaders } from "../services/licenses/authenticate.ts";
import { validateLicense } from "../services/licenses/validate.ts";
import type { Enqueuer } from "../services/messages/enqueue.ts";
import { sendMessage, targetOfLicense } from "../services/messages/send.ts";
import { waitForOutcome } from "../services/messages/wait.ts";
import { errorResponses, json, jsonBody, rejectedResponses } from "./responses.ts";

const licenseSecurity: Record<string, string[]>[] = [{ LicenseHeaders: [] }, { LicenseBasic: [] }];

const sendRoute = createRoute({
  method: "post",
  path: "/v1/messages",
  operationId: "sendMessage",
  summary: "sendMessage(webhookId, textMessage)",
  description:
    "Queues a message durably and waits up to `wait` seconds for Teams' answer. 200 delivered or failed, 202 queued, 4xx rejected.",
  tags: ["Activity"],
  security: licenseSecurity,
  request: {
    body: jsonBody(SendMessageRequest),
    query: SendMessageQuery,
    headers: SendMessageHeaders,
  },
  responses: {
    200: json(SendMessageResponse, "Delivered (SentMessage true) or failed for good (SentMessage false)"),
    202: json(SendMessageResponse, "Queued: durably stored, will be delivered or reported failed"),
    ...rejectedResponses(400, 401, 404, 409, 413, 415, 429, 503),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/messages/{messageId}",
  description:
    "A message's progress as a SendMessageResponse, with a binding key of the tenant that sent it: 200 delivered or failed, 202 still queued (the Message says when the next attempt is due).",
  operationId: "getMessage",
  summary: "A message's delivery progress",
  tags: ["Activity"],
  security: licenseSecurity,
  request: { params: MessageParams },
  responses: {
    200: json(SendMessageResponse, "Delivered or failed"),
    202: json(SendMessageResponse, "Still queued"),
    ...rejectedResponses(400, 401, 404),
  },
});

const updateRoute = createRoute({
  method: "patch",
  path: "/v1/messages/{messageId}",
  operationId: "updateMessage",
  summary: "Update a message posted to a bot channel",
  description:
    "Queued behind earlier work on the channel and reported like a send (messageId in the answer is the update's, teamsMessageId the message changed). Webhook kinds answer 409 not_supported: Teams gives a webhook post no id.",
  tags: ["Activity"],
  security: licenseSecurity,
  request: { params: MessageParams, body: jsonBody(UpdateMessageRequest), query: SendMessageQuery },
  responses: {
    200: json(SendMessageResponse, "Updated in Teams, or failed for good"),
    202: json(SendMessageResponse, "Queued"),
    ...rejectedResponses(400, 401, 404, 409, 413, 415, 429),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/messages/{messageId}",
  operationId: "deleteMessage",
  summary: "Delete a message posted to a bot channel",
  description: "Queued and reported like a send. Webhook kinds answer 409 not_supported.",
  tags: ["Activity"],
  security: licenseSecurity,
  request: { params: MessageParams, query: SendMessageQuery },
  responses: {
    200: json(SendMessageResponse, "Deleted in Teams, or failed for good"),
    202: json(SendMessageResponse, "Queued"),
    ...rejectedResponses(400, 401, 404, 409, 429),
  },
});

const validateRoute = createRoute({
  method: "post",
  path: "/v1/licenses/validate",
  security: [],
  operationId: "validateLicense",
  summary: "Validate a LicenseKey/LicenseSecret pair",
  description:
    "Answers whether the binding key is valid, for which tenant and instance, and the quota. Keys are cached for at most 5 s (a revoked key stops working within 5 s on every replica); the quota figures are at most 1 s old.",
  tags: ["Activity"],
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: LicenseValidateRequest,
        },
      },
    },
  },
  responses: {
    200: json(LicenseValid, "Valid"),
    401: json(LicenseInvalid, "Invalid, with the reason"),
    ...errorResponses(400, 415),
  },
});

export function activityRoutes(ctx: AppContext, enqueuer: Enqueuer) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(sendRoute, async (c) => {
    const body = c.req.valid("json");
    const { wait } = c.req.valid("query");
    const license = c.get("license");
    const { message, note, warnings } = await sendMessage({
      ctx,
      enqueuer,
      target: targetOfLicense(license),
      input: { ...body, idempotencyKey: body.idempotencyKey ?? c.req.valid("header")["idempotency-key"] },
    });
    const outcome = wait > 0 ? await waitForOutcome(ctx, message, wait) : message;
    const { httpStatus, body: presented } = await presentBotAware(ctx, license.tenantId, outcome);
    const noted = note === null ? presented : { ...presented, Message: `${presented.Message} ${note}` };
    const answer = warnings.length === 0 ? noted : { ...noted, warnings };
    return httpStatus === 200 ? c.json(answer, 200) : c.json(answer, 202);
  });

  app.openapi(getRoute, async (c) => {
    const license = c.get("license");
    const { messageId } = c.req.valid("param");
    const row = found(
      await getMessage(ctx.sql, { tenantId: license.tenantId, messageId }),
      "message",
      messageId,
    );
    const { httpStatus, body } = await presentBotAware(ctx, license.tenantId, row);
    return httpStatus === 200 ? c.json(body, 200) : c.json(body, 202);
  });

  app.openapi(updateRoute, async (c) => {
    const license = c.get("license");
    const body = c.req.valid("json");
    const { message } = await editBotMessage({
      ctx,
      enqueuer,
      target: targetOfLicense(license),
      messageId: c.req.valid("param").messageId,
      edit: { op: "update", input: { text: body.textMessage, card: body.card } },
    });
    const { wait } = c.req.valid("query");
    const outcome = wait > 0 ? await waitForOutcome(ctx, message, wait) : message;
    const { httpStatus, body: answer } = await presentBotAware(ctx, license.tenantId, outcome);
    return httpStatus === 200 ? c.json(answer, 200) : c.json(answer, 202);
  });

  app.openapi(deleteRoute, async (c) => {
    const license = c.get("license");
    const { message } = await editBotMessage({
      ctx,
      enqueuer,
      target: targetOfLicense(license),
      messageId: c.req.valid("param").messageId,
      edit: { op: "delete" },
    });
    const { wait } = c.req.valid("query");
    const outcome = wait > 0 ? await waitForOutcome(ctx, message, wait) : message;
    const { httpStatus, body: answer } = await presentBotAware(ctx, license.tenantId, outcome);
    return httpStatus === 200 ? c.json(answer, 200) : c.json(answer, 202);
  });

  app.openapi(validateRoute, async (c) => {
    const body = c.req.valid("json") ?? {};
    const credentials =
      body.licenseKey && body.licenseSecret
        ? { licenseKey: body.licenseKey, licenseSecret: body.licenseSecret }
        : credentialsFromHeaders({
            key: c.req.header("x-license-key"),
            secret: c.req.header("x-license-secret"),
            authorization: c.req.header("authorization"),
          });
    const result = credentials
      ? await validateLicense(ctx, credentials.licenseKey, credentials.licenseSecret)
      : null;
    if (result?.valid) return c.json(result, 200);
    const reason = result?.reason ?? "missing_credentials";
    const message =
      result?.message ??
      "License invalid: send licenseKey and licenseSecret in the body, or the X-License-Key and X-License-Secret headers.";
    const error = { code: "license_invalid" as const, message, requestId: c.get("requestId") };
    return c.json({ valid: false as const, reason, message, error }, 401);
  });

  return app;
}
