// Verifies LicenseKey/LicenseSecret pairs. Rows are cached for at most LICENSE_CACHE_TTL_MS so the
// hot path skips the database; a revoked key therefore stops working within that bound on every
// replica (at once on the replica that revoked it).
import { hash } from "node:crypto";
import { getLicense, type LicenseRow, touchBindingKeys } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { hashLicenseSecret, sameHash } from "../../crypto.ts";
import { DomainError } from "../../errors.ts";

export const LICENSE_CACHE_TTL_MS = 5_000;
const TOUCH_INTERVAL_MS = 60_000;

export type LicenseFailureReason =
  | "missing_credentials"
  | "unknown_key"
  | "revoked"
  | "subscription_inactive"
  | "expired";

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

/**
 * Binding keys Herald issues are `hk_` and 20 base32 characters (core's IdSource); keys issued
 * before that are 16 base64url characters, and the bound leaves room for longer ones. Anything
 * else is refused before a lookup, so it costs neither a query nor a cache entry.
 */
const LICENSE_KEY_SHAPE = /^hk_[A-Za-z0-9_-]{8,64}$/;
/** Secrets are `hs_` + 52 base32 characters (43 base64url before); longer input cannot match, so it is not hashed. */
const MAX_SECRET_LENGTH = 200;

export function isLicenseKeyShaped(licenseKey: string): boolean {
  return LICENSE_KEY_SHAPE.test(licenseKey);
}

const missKey = (licenseKey: string) => hash("sha256", licenseKey, "base64url").slice(0, 11);

/** What the license caches hold, for the fault suite's memory figures. */
export function licenseCacheBytes(ctx: AppContext): { rows: number; misses: number } {
  return { rows: ctx.caches.licenses.bytes, misses: ctx.caches.licenseMisses.bytes };
}

export function forgetLicense(ctx: AppContext, licenseKey: string): void {
  ctx.caches.licenses.delete(licenseKey);
  ctx.caches.licenseMisses.delete(missKey(licenseKey));
}

/** Drops a tenant's cached licenses after its plan or subscription changed, so this replica sees it at once. */
export function forgetTenantLicenses(ctx: AppContext, tenantId: string): void {
  ctx.caches.licenses.deleteWhere((entry) => entry.row.tenantId === tenantId);
}

async function lookUp(ctx: AppContext, licenseKey: string, nowMs: number): Promise<LicenseRow | undefined> {
  const { licenses: cache, licenseMisses: misses } = ctx.caches;
  const entry = cache.get(licenseKey);
  if (entry && nowMs - entry.fetchedAt <= LICENSE_CACHE_TTL_MS) return entry.row;
  const miss = missKey(licenseKey);
  const missedAt = misses.get(miss);
  if (missedAt !== undefined && nowMs - missedAt <= LICENSE_CACHE_TTL_MS) return undefined;
  const row = await getLicense(ctx.sql, { licenseKey });
  if (row) {
    cache.set(licenseKey, { row, fetchedAt: nowMs });
    misses.delete(miss);
  } else {
    cache.delete(licenseKey);
    misses.set(miss, nowMs);
  }
  return row;
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

/** Why a tenant may not send now (its trial ended, or its subscription lapsed), as a sentence; else undefined. */
export function inactiveSubscription(
  tenant: { tenantName: string; subscriptionStatus: string; trialEndsAt: Date | null },
  now: Date,
): string | undefined {
  if (tenant.subscriptionStatus === "trialing" && tenant.trialEndsAt && tenant.trialEndsAt <= now)
    return `the trial of ${tenant.tenantName} ended on ${tenant.trialEndsAt.toISOString().slice(0, 10)}. Choose a plan in the console to continue.`;
  if (INACTIVE_STATUSES.has(tenant.subscriptionStatus))
    return `the subscription of ${tenant.tenantName} is ${tenant.subscriptionStatus}. Update billing in the console to continue.`;
  return undefined;
}

export async function authenticateLicense(
  ctx: AppContext,
  licenseKey: string,
  licenseSecret: string,
): Promise<License> {
  const nowMs = ctx.clock.now().getTime();
  const row =
    isLicenseKeyShaped(licenseKey) && licenseSecret.length <= MAX_SECRET_LENGTH
      ? await lookUp(ctx, licenseKey, nowMs)
      : undefined;
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
  const inactive = inactiveSubscription(row, ctx.clock.now());
  if (inactive) throw new LicenseError("subscription_inactive", `License invalid: ${inactive}`);
  const touched = ctx.caches.licenseTouched;
  if (nowMs - (touched.get(row.id) ?? 0) > TOUCH_INTERVAL_MS) {
    touched.set(row.id, nowMs);
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
