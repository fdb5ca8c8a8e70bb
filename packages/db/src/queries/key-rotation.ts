// What `herald rotate-key` reads and writes: webhook URL ciphertexts under an old key, and channel
// hashes (keyed by HERALD_SECRET too) that must follow the new secret.
import type { Queryable, Sql } from "../client.ts";

export interface EncryptedUrlRow {
  id: string;
  urlCiphertext: Uint8Array;
  urlKeyId: string;
}

/** Webhooks (deleted ones included: they keep a ciphertext) whose URL is not under `keyId`. */
export async function countUrlsNotUnderKey(sql: Queryable, params: { keyId: string }): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM webhooks WHERE url_key_id <> ${params.keyId}`;
  return row?.n ?? 0;
}

export async function urlsNotUnderKey(
  sql: Queryable,
  params: { keyId: string; afterId: string; limit: number },
): Promise<EncryptedUrlRow[]> {
  return sql<EncryptedUrlRow[]>`
    SELECT id, url_ciphertext, url_key_id FROM webhooks
    WHERE url_key_id <> ${params.keyId} AND id > ${params.afterId}
    ORDER BY id LIMIT ${params.limit}`;
}

/** A row's ciphertext as it was read (`from`) and as it is to be (`to`, under `keyId`). */
export interface CiphertextSwap {
  id: string;
  from: Uint8Array;
  to: Uint8Array;
  keyId: string;
}

/** Replaces a ciphertext only if the row still holds the one that was read (a concurrent edit wins). */
async function replaceCiphertext(
  sql: Queryable,
  target: { table: string; ciphertext: string; keyId: string },
  params: CiphertextSwap,
): Promise<boolean> {
  const rows = await sql`
    UPDATE ${sql(target.table)}
    SET ${sql(target.ciphertext)} = ${Buffer.from(params.to)}, ${sql(target.keyId)} = ${params.keyId}
    WHERE id = ${params.id} AND ${sql(target.ciphertext)} = ${Buffer.from(params.from)}
    RETURNING 1`;
  return rows.length === 1;
}

export function replaceUrlCiphertext(sql: Queryable, params: CiphertextSwap): Promise<boolean> {
  return replaceCiphertext(
    sql,
    { table: "webhooks", ciphertext: "url_ciphertext", keyId: "url_key_id" },
    params,
  );
}

export interface ChannelSample extends EncryptedUrlRow {
  channelId: string;
  urlHash: Uint8Array;
}

export async function countChannels(sql: Queryable): Promise<number> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM channels`;
  return row?.n ?? 0;
}

/** Each channel with one of its webhooks' ciphertexts: enough to recompute the channel's URL hash. */
export async function channelSamples(
  sql: Queryable,
  params: { afterChannelId: string; limit: number },
): Promise<ChannelSample[]> {
  return sql<ChannelSample[]>`
    SELECT DISTINCT ON (c.id) c.id::text AS channel_id, c.url_hash, w.id, w.url_ciphertext, w.url_key_id
    FROM channels c JOIN webhooks w ON w.channel_id = c.id
    -- A bot channel is keyed by its Teams channel id, which is no secret and needs no rehash.
    WHERE c.id > ${params.afterChannelId}::bigint AND c.kind <> 'bot'
    ORDER BY c.id, w.created_at
    LIMIT ${params.limit}`;
}

export type RehashResult = "rehashed" | "merged" | "busy";

/**
 * Gives a channel its hash under the new secret. When a channel with that hash already exists (the
 * same URL registered after the secret changed), the two are one Teams URL: the newer one's webhooks,
 * messages and send history move into the older one, so rate windows stay whole. A channel a worker
 * holds right now is left for a second run ("busy").
 */
export async function rehashChannel(
  sql: Sql,
  params: { channelId: string; urlHash: Uint8Array },
): Promise<RehashResult> {
  const hash = Buffer.from(params.urlHash);
  return sql.begin(async (tx) => {
    const rows = await tx<{ id: string; leased: boolean }[]>`
      SELECT id::text AS id, (locked_until IS NOT NULL AND locked_until > clock_timestamp()) AS leased
      FROM channels WHERE id = ${params.channelId}::bigint OR url_hash = ${hash}
      ORDER BY id FOR UPDATE`;
    if (rows.some((r) => r.leased)) return "busy";
    const twin = rows.find((r) => r.id !== params.channelId);
    if (!twin) {
      await tx`UPDATE channels SET url_hash = ${hash} WHERE id = ${params.channelId}::bigint`;
      return "rehashed";
    }
    const keep = params.channelId;
    const drop = twin.id;
    await tx`UPDATE webhooks SET channel_id = ${keep}::bigint WHERE channel_id = ${drop}::bigint`;
    await tx`UPDATE messages SET channel_id = ${keep}::bigint WHERE channel_id = ${drop}::bigint`;
    await tx`UPDATE channel_sends SET channel_id = ${keep}::bigint WHERE channel_id = ${drop}::bigint`;
    await tx`
      UPDATE channels k SET
        ready_at = LEAST(k.ready_at, d.ready_at),
        paused_until = GREATEST(k.paused_until, d.paused_until),
        consecutive_bad_requests = GREATEST(k.consecutive_bad_requests, d.consecutive_bad_requests)
      FROM channels d WHERE k.id = ${keep}::bigint AND d.id = ${drop}::bigint`;
    await tx`DELETE FROM channels WHERE id = ${drop}::bigint`;
    await tx`UPDATE channels SET url_hash = ${hash} WHERE id = ${keep}::bigint`;
    return "merged";
  });
}

export interface EncryptedEntraSecretRow {
  id: string;
  secretCiphertext: Uint8Array;
  secretKeyId: string;
}

/** Entra client secrets not under `keyId` (they share the webhook URLs' keys). */
export async function entraSecretsNotUnderKey(
  sql: Queryable,
  params: { keyId: string },
): Promise<EncryptedEntraSecretRow[]> {
  return sql<EncryptedEntraSecretRow[]>`
    SELECT id, secret_ciphertext, secret_key_id FROM entra_apps WHERE secret_key_id <> ${params.keyId} ORDER BY id`;
}

export function replaceEntraSecretCiphertext(sql: Queryable, params: CiphertextSwap): Promise<boolean> {
  return replaceCiphertext(
    sql,
    { table: "entra_apps", ciphertext: "secret_ciphertext", keyId: "secret_key_id" },
    params,
  );
}
