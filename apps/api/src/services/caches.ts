// Every cache a runtime keeps, built once by openRuntime and carried on its context: no module holds
// state that another runtime in the same process (the tests start several) could see.
import type { LicenseRow, SessionRow, WebhookRow } from "@herald/db";
import type { Clock } from "@herald/delivery";
import { LruCache } from "./lru-cache.ts";
import { RuntimeCache } from "./runtime-cache.ts";

/** sendMessage's webhook lookups (see webhook-cache.ts for why 2 s is safe). */
export const WEBHOOK_CACHE_TTL_MS = 2_000;
/** How long a replica trusts a session row it read: revocation reaches every replica within this. */
export const SESSION_CHECK_TTL_MS = 2_000;
/** The quota figures in a license validation answer are at most this old. */
export const QUOTA_SNAPSHOT_TTL_MS = 1_000;
/** Rows of real keys: about 1 KB each with the key, so 32 MB holds ~30,000 busy keys. */
export const LICENSE_CACHE_MAX_BYTES = 32 * 1024 * 1024;
/** Unknown keys, remembered by a 64-bit hash of the key: a flood of them fills only this, never the rows. */
export const LICENSE_MISS_CACHE_MAX_BYTES = 4 * 1024 * 1024;
const LICENSE_ROW_BYTES = 900;
const LICENSE_MISS_BYTES = 60;

export interface QuotaSnapshot {
  messagesThisMonth: number;
  webhooks: number;
}

export interface LicenseCacheEntry {
  row: LicenseRow;
  fetchedAt: number;
}

export class RuntimeCaches {
  readonly webhooks: RuntimeCache<WebhookRow | undefined>;
  readonly sessions: RuntimeCache<Promise<SessionRow | undefined>>;
  readonly quotaSnapshots: RuntimeCache<Promise<QuotaSnapshot>>;
  readonly licenses = new LruCache<LicenseCacheEntry>(LICENSE_CACHE_MAX_BYTES, () => LICENSE_ROW_BYTES);
  /** Unknown license keys by a short hash, with when they were looked up. */
  readonly licenseMisses = new LruCache<number>(LICENSE_MISS_CACHE_MAX_BYTES, () => LICENSE_MISS_BYTES);
  /** When each binding key's last-used time was last written, so it is written at most once a minute. */
  readonly licenseTouched = new Map<string, number>();

  constructor(clock: Clock) {
    this.webhooks = new RuntimeCache(clock, WEBHOOK_CACHE_TTL_MS, 20_000);
    this.sessions = new RuntimeCache(clock, SESSION_CHECK_TTL_MS, 100_000);
    this.quotaSnapshots = new RuntimeCache(clock, QUOTA_SNAPSHOT_TTL_MS, 10_000);
  }
}
