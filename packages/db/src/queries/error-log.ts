import type { Queryable } from "../client.ts";

export interface ErrorLogEntry {
  tenantId: string;
  instanceId: string;
  webhookId: string;
  messageId: string | null;
  httpStatus: number | null;
  kind: string;
  classification: string;
  teamsText: string | null;
  action: string;
}

export interface ErrorLogRow extends ErrorLogEntry {
  /** The entry's opaque public id (`el_…`), also the page cursor. */
  id: string;
  at: Date;
}

/**
 * An entry about a webhook's state (its URL moved, it was inactivated, reactivated or disabled)
 * rather than about one message: no message, no Teams text.
 */
export function stateEntry(params: {
  tenantId: string;
  instanceId: string;
  webhookId: string;
  kind: string;
  action: string;
  /** The status of the answer that changed the state, when one did. */
  httpStatus?: number | null;
}): ErrorLogEntry {
  return {
    tenantId: params.tenantId,
    instanceId: params.instanceId,
    webhookId: params.webhookId,
    messageId: null,
    httpStatus: params.httpStatus ?? null,
    kind: params.kind,
    classification: "state",
    teamsText: null,
    action: params.action,
  };
}

export async function insertErrorLog(sql: Queryable, entries: ErrorLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await sql`INSERT INTO error_log ${sql(
    entries,
    "tenantId",
    "instanceId",
    "webhookId",
    "messageId",
    "httpStatus",
    "kind",
    "classification",
    "teamsText",
    "action",
  )}`;
}

/** Newest first; `before` is the public id of the previous page's last row (unknown: an empty page). */
export async function listErrorLog(
  sql: Queryable,
  params: {
    tenantId: string;
    webhookId?: string | undefined;
    instanceId?: string | undefined;
    messageId?: string | undefined;
    classification?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
): Promise<ErrorLogRow[]> {
  return sql<ErrorLogRow[]>`
    SELECT public_id AS id, tenant_id, instance_id, webhook_id, message_id, at, http_status, kind, classification, teams_text, action
    FROM error_log
    WHERE tenant_id = ${params.tenantId}
      AND ${params.webhookId ? sql`webhook_id = ${params.webhookId}` : sql`true`}
      AND ${params.instanceId ? sql`instance_id = ${params.instanceId}` : sql`true`}
      AND ${params.messageId ? sql`message_id = ${params.messageId}` : sql`true`}
      AND ${params.classification ? sql`classification = ${params.classification}` : sql`true`}
      AND ${
        params.before
          ? sql`id < (SELECT id FROM error_log WHERE tenant_id = ${params.tenantId} AND public_id = ${params.before})`
          : sql`true`
      }
    ORDER BY error_log.id DESC LIMIT ${params.limit}`;
}
