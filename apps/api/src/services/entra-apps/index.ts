// Entra app registrations a tenant gives Herald so that it can call flows restricted to the
// tenant's users. The client secret is encrypted at rest and never shown again.
import { FLOW_AUDIENCE } from "@herald/core";
import {
  deleteEntraApp as deleteQuery,
  getEntraApp,
  insertEntraApp,
  listEntraApps as listQuery,
  webhooksUsingEntraApp,
} from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError, found } from "../../errors.ts";
import { type InstanceScope, listInInstance, requireInstance } from "../instances/index.ts";

export interface CreateEntraAppInput {
  name: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  audience?: string | undefined;
}

export async function createEntraApp({
  ctx,
  tenantId,
  instanceId,
  input,
}: InstanceScope & { input: CreateEntraAppInput }) {
  await requireInstance(ctx, tenantId, instanceId);
  const { ciphertext, keyId } = ctx.keys.encryptSecret(input.clientSecret);
  return insertEntraApp(ctx.sql, {
    id: ctx.ids.id("ea"),
    tenantId,
    instanceId,
    name: input.name,
    entraTenantId: input.tenantId,
    clientId: input.clientId,
    audience: input.audience ?? FLOW_AUDIENCE,
    secretCiphertext: ciphertext,
    secretKeyId: keyId,
  });
}

export function listEntraApps(scope: InstanceScope) {
  return listInInstance(scope, listQuery);
}

export async function requireEntraApp(ctx: AppContext, tenantId: string, entraAppId: string) {
  return found(await getEntraApp(ctx.sql, { tenantId, entraAppId }), "Entra app", entraAppId);
}

/** Removes an app no webhook uses; one still attached to webhooks is refused, naming them. */
export async function deleteEntraApp({
  ctx,
  tenantId,
  entraAppId,
}: {
  ctx: AppContext;
  tenantId: string;
  entraAppId: string;
}) {
  await requireEntraApp(ctx, tenantId, entraAppId);
  await ctx.sql.begin(async (tx) => {
    const users = await webhooksUsingEntraApp(tx, { tenantId, entraAppId });
    if (users.length > 0) {
      const names = users.map((w) => `${w.name} (${w.id})`).join(", ");
      throw new DomainError(
        "entra_app_in_use",
        `The Entra app ${entraAppId} is attached to ${users.length} webhook(s): ${names}. Attach another Entra app to them (or set entraAppId to null), then remove it.`,
        { webhookIds: users.map((w) => w.id) },
      );
    }
    await deleteQuery(tx, { tenantId, entraAppId });
  });
}

/** An Entra app a webhook may use: of the same tenant and instance. */
export async function entraAppForWebhook(
  ctx: AppContext,
  tenantId: string,
  instanceId: string,
  entraAppId: string,
) {
  const app = await getEntraApp(ctx.sql, { tenantId, entraAppId });
  if (app === undefined || app.instanceId !== instanceId) {
    throw new DomainError(
      "invalid_request",
      `No Entra app with id ${entraAppId} in this instance; add it under Entra apps first.`,
      { field: "entraAppId" },
    );
  }
  return app;
}
