// The activity API: sendMessage, message progress and license validation.
import { isReservedSource, RESERVED_SOURCE_PREFIX } from "@herald/core";
import { z } from "@hono/zod-openapi";
import { Id, Quota } from "./common.ts";
import { ErrorDetail } from "./errors.ts";

// NUL cannot be stored in PostgreSQL text; refusing it at the edge keeps one bad request from
// failing the group-commit batch it would share with others.
export const storable = (schema: z.ZodString) =>
  schema.refine((value) => !value.includes("\u0000"), "must not contain NUL characters");

export const SendMessageRequest = z
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
    replyTo: storable(z.string().min(1).max(64)).optional().openapi({
      description:
        "Bot channels: the messageId of an earlier message to the same channel; this one is posted as a reply in its thread.",
    }),
  })
  .refine((b) => (b.textMessage !== undefined && b.textMessage.trim() !== "") || b.card !== undefined, {
    message: "textMessage must be a non-empty string unless a card is sent",
    path: ["textMessage"],
  })
  .openapi("SendMessageRequest");
export type SendMessageRequest = z.input<typeof SendMessageRequest>;

export const SendMessageQuery = z.object({ wait: z.coerce.number().int().min(0).max(30).default(10) });
export const SendMessageHeaders = z.object({
  "idempotency-key": storable(z.string().min(1).max(255)).optional(),
});
export const MessageParams = z.object({ messageId: Id });

export const SendStatus = z.enum(["delivered", "queued", "failed", "rejected"]);
export type SendStatus = z.infer<typeof SendStatus>;

export const SendMessageResponse = z
  .object({
    SentMessage: z.boolean(),
    Message: z.string(),
    messageId: z.string().nullable(),
    status: SendStatus,
    warnings: z
      .array(
        z.object({
          code: z.enum(["action_dropped", "image_dropped"]),
          message: z.string(),
        }),
      )
      .optional()
      .openapi({
        description:
          "What the conversion for the webhook left out (a MessageCard's ActionCard and HttpPOST actions, images in text): one entry each. Absent when nothing was left out.",
      }),
    teamsMessageId: z.string().nullable().optional().openapi({
      description:
        "Bot channels: the id Teams gave the posted message (for an update or delete: the message changed). Absent for webhook kinds.",
    }),
  })
  .openapi("SendMessageResponse");
export type SendMessageResponse = z.infer<typeof SendMessageResponse>;

/** What an activity caller gets on a 4xx/5xx: still a SendMessageResponse, with the error beside it. */
export const RejectedMessageResponse = SendMessageResponse.extend({
  SentMessage: z.literal(false),
  messageId: z.null(),
  status: z.literal("rejected"),
  error: ErrorDetail,
}).openapi("RejectedMessageResponse");
export type RejectedMessageResponse = z.infer<typeof RejectedMessageResponse>;

/** PATCH /v1/messages/{messageId}: the new text or card of a message posted to a bot channel. */
export const UpdateMessageRequest = z
  .object({
    textMessage: z.string().max(200_000).optional(),
    card: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((b) => (b.textMessage !== undefined && b.textMessage.trim() !== "") || b.card !== undefined, {
    message: "give the new textMessage or card",
    path: ["textMessage"],
  })
  .openapi("UpdateMessageRequest");
export type UpdateMessageRequest = z.input<typeof UpdateMessageRequest>;

export const LicenseValidateRequest = z.object({
  licenseKey: z.string().max(200).optional(),
  licenseSecret: z.string().max(200).optional(),
});
export type LicenseValidateRequest = z.infer<typeof LicenseValidateRequest>;

export const LicenseValid = z
  .object({
    valid: z.literal(true),
    tenant: z.object({ id: z.string(), name: z.string() }),
    instance: z.object({ id: z.string(), name: z.string() }),
    plan: z.string(),
    quota: z.object({
      webhooks: Quota,
      messagesThisMonth: Quota,
      trialEndsAt: z.string().nullable(),
    }),
  })
  .openapi("LicenseValid");
export type LicenseValid = z.infer<typeof LicenseValid>;

export const LicenseInvalidReason = z
  .enum(["missing_credentials", "unknown_key", "revoked", "subscription_inactive", "expired"])
  .openapi({
    description:
      "missing_credentials: no LicenseKey and LicenseSecret were sent; unknown_key: the pair matches no binding key; revoked, subscription_inactive, expired: the key or the tenant's subscription no longer allows sending.",
  });
export type LicenseInvalidReason = z.infer<typeof LicenseInvalidReason>;

export const LicenseInvalid = z
  .object({
    valid: z.literal(false),
    reason: LicenseInvalidReason,
    message: z.string(),
    error: ErrorDetail,
  })
  .openapi("LicenseInvalid");
export type LicenseInvalid = z.infer<typeof LicenseInvalid>;

/** One message as the console shows it: its delivery state and attempts. */
export const MessageDetail = z
  .object({
    messageId: z.string(),
    instanceId: z.string(),
    webhookId: z.string(),
    status: z.enum(["queued", "delivered", "failed"]),
    statusMessage: z.string(),
    attempts: z.number().int(),
    lastHttpStatus: z.number().int().nullable(),
    source: z.string().nullable(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi("MessageDetail");
export type MessageDetail = z.infer<typeof MessageDetail>;
