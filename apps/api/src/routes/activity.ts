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
} from "@herald/contract";
import { getMessage } from "@herald/db";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import { found } from "../errors.ts";
import type { AppEnv } from "../hono-env.ts";
import { credentialsFromHeaders } from "../services/licenses/authenticate.ts";
import { validateLicense } from "../services/licenses/validate.ts";
import type { Enqueuer } from "../services/messages/enqueue.ts";
import { presentMessage } from "../services/messages/present.ts";
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
    ...rejectedResponses(400, 401, 404, 409, 413, 429, 503),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/messages/{messageId}",
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
    ...errorResponses(400),
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
    const { httpStatus, body: presented } = presentMessage(outcome);
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
    const { httpStatus, body } = presentMessage(row);
    return httpStatus === 200 ? c.json(body, 200) : c.json(body, 202);
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
    const reason = result?.reason ?? "unknown_key";
    const message =
      result?.message ??
      "License invalid: send licenseKey and licenseSecret in the body, or the X-License-Key and X-License-Secret headers.";
    const error = { code: "license_invalid" as const, message, requestId: c.get("requestId") };
    return c.json({ valid: false as const, reason, message, error }, 401);
  });

  return app;
}
