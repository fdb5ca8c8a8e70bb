// The mappers from rows to the contract's responses (rows never leave as they are), and the
// helpers routes declare their OpenAPI responses with.

import { ErrorBody, RejectedMessageResponse } from "@herald/contract";
import { webhookWarnings } from "@herald/core";
import type {
  BindingKeyRow,
  EntraAppRow,
  ErrorLogRow,
  InstanceRow,
  MessageRow,
  WebhookRow,
} from "@herald/db";
import type { z } from "@hono/zod-openapi";

export const toInstance = (r: InstanceRow) => ({
  id: r.id,
  name: r.name,
  createdAt: r.createdAt.toISOString(),
});

export const toBindingKey = (r: BindingKeyRow) => ({
  id: r.id,
  instanceId: r.instanceId,
  name: r.name,
  licenseKey: r.licenseKey,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export function toWebhook(r: WebhookRow & { alertsPosted24h?: number; activeWorkflows?: number }, now: Date) {
  const paused = r.pausedUntil && r.pausedUntil > now ? r.pausedUntil : null;
  return {
    webhookId: r.id,
    instanceId: r.instanceId,
    name: r.name,
    description: r.description,
    url: r.urlMask,
    kind: r.kind,
    teamsChannel:
      r.teamsTeamId !== null && r.teamsChannelId !== null
        ? { teamId: r.teamsTeamId, channelId: r.teamsChannelId }
        : null,
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
    warnings:
      r.kind === "bot"
        ? []
        : webhookWarnings({
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

export const toEntraApp = (r: EntraAppRow) => ({
  id: r.id,
  instanceId: r.instanceId,
  name: r.name,
  tenantId: r.entraTenantId,
  clientId: r.clientId,
  audience: r.audience,
  createdAt: r.createdAt.toISOString(),
});

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

/** Activity callers get a SendMessageResponse on every error too (status "rejected", the error beside it). */
export function rejectedResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: "Rejected", content: { "application/json": { schema: RejectedMessageResponse } } },
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
