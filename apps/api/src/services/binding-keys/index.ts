import { insertBindingKey, listBindingKeys as listQuery, revokeBindingKey as revokeQuery } from "@herald/db";
import { hashLicenseSecret } from "../../crypto.ts";
import { found } from "../../errors.ts";
import { type InstanceScope, listInInstance, requireInstance } from "../instances/index.ts";
import { forgetLicense } from "../licenses/authenticate.ts";

/** Creates a LicenseKey/LicenseSecret pair. The secret is returned here once and stored only as a hash. */
export async function createBindingKey({
  ctx,
  tenantId,
  instanceId,
  input,
}: InstanceScope & { input: { name: string } }) {
  await requireInstance(ctx, tenantId, instanceId);
  const licenseKey = ctx.ids.licenseKey();
  const licenseSecret = ctx.ids.licenseSecret();
  const row = await insertBindingKey(ctx.sql, {
    id: ctx.ids.id("bk"),
    tenantId,
    instanceId,
    name: input.name,
    licenseKey,
    secretHash: hashLicenseSecret(licenseSecret),
  });
  return { ...row, licenseSecret };
}

export function listBindingKeys(scope: InstanceScope) {
  return listInInstance(scope, listQuery);
}

export async function revokeBindingKey({
  ctx,
  tenantId,
  instanceId,
  bindingKeyId,
}: InstanceScope & { bindingKeyId: string }) {
  const row = found(
    await revokeQuery(ctx.sql, { tenantId, instanceId, bindingKeyId }),
    "binding key",
    bindingKeyId,
  );
  forgetLicense(ctx, row.licenseKey);
  return row;
}
