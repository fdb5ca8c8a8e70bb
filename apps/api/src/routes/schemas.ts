// Response shapes of the public contract, and the mappers from rows to them (rows never leave as they are).

import { webhookWarnings } from "@herald/core";
import type {
  BindingKeyRow,
  EntraAppRow,
  ErrorLogRow,
  InstanceRow,
  MessageRow,
  WebhookRow,
} from "@herald/db";
import { z } from "@hono/zod-openapi";
import { ErrorBody } from "../errors.ts";

export const SendMessageResponse = z
  .object({
    SentMessage: z.boolean(),
    Message: z.string(),
    messageId: z.string().nullable(),
    status: z.enum(["delivered", "queued", "failed", "rejected"]),
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
  })
  .openapi("SendMessageResponse");

export const Instance = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string() })
  .openapi("Instance");
export const toInstance = (r: InstanceRow) => ({
  id: r.id,
  name: r.name,
  createdAt: r.createdAt.toISOString(),
});

export const BindingKey = z
  .object({
    id: z.string(),
    instanceId: z.string(),
    name: z.string(),
    licenseKey: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("BindingKey");
export const toBindingKey = (r: BindingKeyRow) => ({
  id: r.id,
  instanceId: r.instanceId,
  name: r.name,
  licenseKey: r.licenseKey,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export const Webhook = z
  .object({
    webhookId: z.string(),
    instanceId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    url: z
      .string()
      .openapi({ description: "Masked: the URL embeds credentials and is never shown in full again." }),
    kind: z.enum(["legacy", "workflows"]),
    active: z.boolean(),
    state: z.enum(["active", "paused", "disabled", "inactive"]),
    disabledReason: z.string().nullable(),
    pausedUntil: z.string().nullable(),
    pausedReason: z.string().nullable().openapi({
      description:
        "Why the channel is paused (e.g. the flow is turned off in Power Automate); null for rate limits.",
    }),
    entraAppId: z.string().nullable(),
    ratePolicy: z
      .string()
      .nullable()
      .openapi({ description: "This webhook's own rate policy, or null: its kind's default." }),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
    health: z.object({
      lastSuccessAt: z.string().nullable(),
      consecutiveFailures: z.number().int(),
    }),
    createdAt: z.string(),
    alertsPosted24h: z.number().int().optional(),
    activeWorkflows: z.number().int().optional(),
  })
  .openapi("Webhook");
export function toWebhook(
  r: WebhookRow & { alertsPosted24h?: number; activeWorkflows?: number },
  now = new Date(),
) {
  const paused = r.pausedUntil && r.pausedUntil > now ? r.pausedUntil : null;
  return {
    webhookId: r.id,
    instanceId: r.instanceId,
    name: r.name,
    description: r.description,
    url: r.urlMask,
    kind: r.kind,
    active: r.active,
    state: !r.active
      ? r.disabledReason
        ? ("disabled" as const)
        : ("inactive" as const)
      : paused
        ? ("paused" as const)
        : ("active" as const),
    disabledReason: r.disabledReason,
    pausedUntil: paused?.toISOString() ?? null,
    pausedReason: paused ? r.pauseReason : null,
    entraAppId: r.entraAppId,
    ratePolicy: r.ratePolicy,
    warnings: webhookWarnings({
      kind: r.kind,
      host: hostOfMask(r.urlMask),
      createdAtMs: r.createdAt.getTime(),
      lastSuccessAtMs: r.lastSuccessAt?.getTime() ?? null,
      nowMs: now.getTime(),
    }),
    health: {
      lastSuccessAt: r.lastSuccessAt?.toISOString() ?? null,
      consecutiveFailures: r.consecutiveFailures,
    },
    createdAt: r.createdAt.toISOString(),
    ...(r.alertsPosted24h === undefined ? {} : { alertsPosted24h: r.alertsPosted24h }),
    ...(r.activeWorkflows === undefined ? {} : { activeWorkflows: r.activeWorkflows }),
  };
}

/** The host of a masked URL ("https://host/webhookb2/…a1b2"): what the warnings need, without the secret. */
function hostOfMask(mask: string): string {
  return /^[a-z]+:\/\/([^/:]+)/i.exec(mask)?.[1] ?? "";
}

export const EntraApp = z
  .object({
    id: z.string(),
    instanceId: z.string(),
    name: z.string(),
    tenantId: z.string().openapi({ description: "The Microsoft Entra tenant (directory) id." }),
    clientId: z.string(),
    audience: z.string(),
    createdAt: z.string(),
  })
  .openapi("EntraApp");
export const toEntraApp = (r: EntraAppRow) => ({
  id: r.id,
  instanceId: r.instanceId,
  name: r.name,
  tenantId: r.entraTenantId,
  clientId: r.clientId,
  audience: r.audience,
  createdAt: r.createdAt.toISOString(),
});

export const ErrorLogItem = z
  .object({
    id: z.string(),
    at: z.string(),
    webhookId: z.string(),
    instanceId: z.string(),
    messageId: z.string().nullable(),
    httpStatus: z.number().int().nullable(),
    kind: z.string(),
    classification: z.string(),
    teamsText: z.string().nullable(),
    action: z.string(),
  })
  .openapi("ErrorLogItem");
export const toErrorLogItem = (r: ErrorLogRow) => ({
  id: String(r.id),
  at: r.at.toISOString(),
  webhookId: r.webhookId,
  instanceId: r.instanceId,
  messageId: r.messageId,
  httpStatus: r.httpStatus,
  kind: r.kind,
  classification: r.classification,
  teamsText: r.teamsText,
  action: r.action,
});

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
export const toMessageDetail = (r: MessageRow) => ({
  messageId: r.id,
  instanceId: r.instanceId,
  webhookId: r.webhookId,
  status: r.status,
  statusMessage: r.statusMessage,
  attempts: r.attempts,
  lastHttpStatus: r.lastHttpStatus,
  source: r.source,
  createdAt: r.createdAt.toISOString(),
  lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: "Error", content: { "application/json": { schema: ErrorBody } } },
    ]),
  );
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});
