// The activity API: what a low-code platform calls (sendMessage, message status, license validation).

import { isReservedSource, RESERVED_SOURCE_PREFIX } from "@herald/core";
import { getMessage } from "@herald/db";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import { ErrorBody, found } from "../errors.ts";
import type { AppEnv } from "../hono-env.ts";
import { credentialsFromHeaders } from "../services/licenses/authenticate.ts";
import { validateLicense } from "../services/licenses/validate.ts";
import type { Enqueuer } from "../services/messages/enqueue.ts";
import { presentMessage } from "../services/messages/present.ts";
import { sendMessage, targetOfLicense } from "../services/messages/send.ts";
import { waitForOutcome } from "../services/messages/wait.ts";
import { errorResponses, json, jsonBody, SendMessageResponse } from "./schemas.ts";

// NUL cannot be stored in PostgreSQL text; refusing it here keeps one bad request from failing the
// group-commit batch it would share with others.
const storable = (schema: z.ZodString) =>
  schema.refine((value) => !value.includes("\u0000"), "must not contain NUL characters");

const SendMessageBody = z
  .object({
    webhookId: storable(z.string().min(1).max(64)).openapi({ example: "wh_2b7xk4m9q0s1t2v3" }),
    textMessage: z.string().max(200_000).optional().openapi({
      example: "Ticket #1234 was raised on the support portal.",
      description:
        "The message text. The limit that counts is Teams': the final payload Herald posts (the text or converted card in its message envelope, UTF-8) must be at most 28 KB (28,672 bytes), else 413 payload_too_large with the byte counts. For Workflows webhooks, the connector HTML subset (b, i, a, br, p, ul/ol/li) becomes Adaptive Card markdown.",
    }),
    card: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "A MessageCard or an Adaptive Card (version 1.4 at most)." }),
    idempotencyKey: storable(z.string().min(1).max(255)).optional(),
    strictConversion: z.boolean().optional().openapi({
      description:
        "With a MessageCard for a Workflows webhook: refuse it (400 card_not_convertible) when the Adaptive Card it becomes would leave something out, instead of sending what can be carried and listing the rest in `warnings`.",
    }),
    mentions: z
      .array(
        z.object({
          id: storable(z.string().trim().min(1).max(256)).openapi({ description: "UPN or Entra object id" }),
          name: storable(z.string().trim().min(1).max(256)).openapi({ example: "Ada Lovelace" }),
        }),
      )
      .max(20)
      .optional()
      .openapi({
        description:
          "People to @mention (at most 20); `<at>name</at>` is added to the text when absent. Legacy connectors cannot mention: the names are sent as plain text.",
      }),
    source: storable(z.string().max(100))
      .refine(
        (source) => !isReservedSource(source),
        `values starting with "${RESERVED_SOURCE_PREFIX}" are reserved for Herald's own messages; name your workflow or microflow instead`,
      )
      .optional()
      .openapi({
        description: `The workflow or microflow that sent it. Values starting with "${RESERVED_SOURCE_PREFIX}" are reserved.`,
      }),
  })
  .refine((b) => (b.textMessage !== undefined && b.textMessage.trim() !== "") || b.card !== undefined, {
    message: "textMessage must be a non-empty string unless a card is sent",
    path: ["textMessage"],
  })
  .openapi("SendMessageRequest");

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
    body: jsonBody(SendMessageBody),
    query: z.object({ wait: z.coerce.number().int().min(0).max(30).default(10) }),
    headers: z.object({ "idempotency-key": storable(z.string().min(1).max(255)).optional() }),
  },
  responses: {
    200: json(SendMessageResponse, "Delivered (SentMessage true) or failed for good (SentMessage false)"),
    202: json(SendMessageResponse, "Queued: durably stored, will be delivered or reported failed"),
    ...errorResponses(400, 401, 404, 409, 413, 429, 503),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/messages/{messageId}",
  operationId: "getMessage",
  summary: "A message's delivery progress",
  tags: ["Activity"],
  security: licenseSecurity,
  request: { params: z.object({ messageId: z.string().min(1).max(64) }) },
  responses: {
    200: json(SendMessageResponse, "Delivered or failed"),
    202: json(SendMessageResponse, "Still queued"),
    ...errorResponses(401, 404),
  },
});

const LicenseValid = z.object({
  valid: z.literal(true),
  tenant: z.object({ id: z.string(), name: z.string() }),
  instance: z.object({ id: z.string(), name: z.string() }),
  plan: z.string(),
  quota: z.object({
    webhooks: z.object({ used: z.number().int(), limit: z.number().int().nullable() }),
    messagesThisMonth: z.object({ used: z.number().int(), limit: z.number().int().nullable() }),
    trialEndsAt: z.string().nullable(),
  }),
});
const LicenseInvalid = z.object({
  valid: z.literal(false),
  reason: z.enum(["unknown_key", "revoked", "subscription_inactive", "expired"]),
  message: z.string(),
  error: ErrorBody.shape.error,
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
          schema: z.object({
            licenseKey: z.string().max(200).optional(),
            licenseSecret: z.string().max(200).optional(),
          }),
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
