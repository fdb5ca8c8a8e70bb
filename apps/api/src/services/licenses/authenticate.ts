// Verifies LicenseKey/LicenseSecret pairs. Rows are cached for at most LICENSE_CACHE_TTL_MS so the
// hot path skips the database; a revoked key therefore stops working within that bound on every
// replica (at once on the replica that revoked it).
import { getLicense, type LicenseRow, touchBindingKeys } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { hashLicenseSecret, sameHash } from "../../crypto.ts";
import { DomainError } from "../../errors.ts";

export const LICENSE_CACHE_TTL_MS = 5_000;
const TOUCH_INTERVAL_MS = 60_000;

export type LicenseFailureReason = "unknown_key" | "revoked" | "subscription_inactive" | "expired";

export interface License {
  bindingKeyId: string;
  licenseKey: string;
  tenantId: string;
  tenantName: string;
  instanceId: string;
  instanceName: string;
  plan: string;
  subscriptionStatus: string;
  trialEndsAt: Date | null;
  webhookLimit: number | null;
  monthlyMessageLimit: number | null;
  billOverage: boolean;
  requestsPerSecond: number | null;
}

interface CacheEntry {
  row: LicenseRow | undefined;
  fetchedAt: number;
}
const cache = new Map<string, CacheEntry>();
const lastTouched = new Map<string, number>();

export function forgetLicense(licenseKey: string): void {
  cache.delete(licenseKey);
}

/** Drops a tenant's cached licenses after its plan or subscription changed, so this replica sees it at once. */
export function forgetTenantLicenses(tenantId: string): void {
  for (const [key, entry] of cache) if (entry.row?.tenantId === tenantId) cache.delete(key);
}

export class LicenseError extends DomainError {
  constructor(
    readonly reason: LicenseFailureReason,
    message: string,
  ) {
    super("license_invalid", message, { reason });
  }
}

const INACTIVE_STATUSES = new Set(["canceled", "unpaid", "incomplete_expired", "paused"]);

export async function authenticateLicense(
  ctx: AppContext,
  licenseKey: string,
  licenseSecret: string,
): Promise<License> {
  const nowMs = Date.now();
  let entry = cache.get(licenseKey);
  if (!entry || nowMs - entry.fetchedAt > LICENSE_CACHE_TTL_MS) {
    entry = { row: await getLicense(ctx.sql, { licenseKey }), fetchedAt: nowMs };
    if (cache.size > 50_000) cache.clear();
    cache.set(licenseKey, entry);
  }
  const row = entry.row;
  if (!row || !sameHash(hashLicenseSecret(licenseSecret), row.secretHash)) {
    throw new LicenseError(
      "unknown_key",
      "License invalid: the LicenseKey and LicenseSecret do not match any binding key. Check both values in your deployment settings.",
    );
  }
  if (row.revokedAt) {
    throw new LicenseError(
      "revoked",
      `License invalid: key ${row.licenseKey} was revoked on ${row.revokedAt.toISOString().slice(0, 10)}. Create new binding keys in the console.`,
    );
  }
  const now = ctx.clock.now();
  if (row.subscriptionStatus === "trialing" && row.trialEndsAt && row.trialEndsAt <= now) {
    throw new LicenseError(
      "subscription_inactive",
      `License invalid: the trial of ${row.tenantName} ended on ${row.trialEndsAt.toISOString().slice(0, 10)}. Choose a plan in the console to continue.`,
    );
  }
  if (INACTIVE_STATUSES.has(row.subscriptionStatus)) {
    throw new LicenseError(
      "subscription_inactive",
      `License invalid: the subscription of ${row.tenantName} is ${row.subscriptionStatus}. Update billing in the console to continue.`,
    );
  }
  if (nowMs - (lastTouched.get(row.id) ?? 0) > TOUCH_INTERVAL_MS) {
    lastTouched.set(row.id, nowMs);
    touchBindingKeys(ctx.sql, { ids: [row.id] }).catch((error: unknown) =>
      ctx.logger.warn({ err: error }, "could not record binding key use"),
    );
  }
  return {
    bindingKeyId: row.id,
    licenseKey: row.licenseKey,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    instanceId: row.instanceId,
    instanceName: row.instanceName,
    plan: row.plan,
    subscriptionStatus: row.subscriptionStatus,
    trialEndsAt: row.trialEndsAt,
    webhookLimit: row.webhookLimit,
    monthlyMessageLimit: row.monthlyMessageLimit,
    billOverage: row.billOverage,
    requestsPerSecond: row.requestsPerSecond,
  };
}

/** Reads the two headers, or HTTP Basic key:secret. */
export function credentialsFromHeaders(headers: {
  key?: string | undefined;
  secret?: string | undefined;
  authorization?: string | undefined;
}): { licenseKey: string; licenseSecret: string } | null {
  if (headers.key && headers.secret) return { licenseKey: headers.key, licenseSecret: headers.secret };
  const auth = headers.authorization;
  if (auth?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { licenseKey: decoded.slice(0, colon), licenseSecret: decoded.slice(colon + 1) };
  }
  return null;
}
