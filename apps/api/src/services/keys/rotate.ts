// Re-encrypts every webhook URL under the current HERALD_SECRET and re-keys channel hashes, after
// an operator rotated the secret (HERALD_SECRET new, HERALD_SECRET_PREVIOUS old). Safe to re-run:
// rows already under the current key are skipped, and each write checks the row it read.
import {
  channelSamples,
  countChannels,
  countUrlsNotUnderKey,
  entraSecretsNotUnderKey,
  type RehashResult,
  rehashChannel,
  replaceEntraSecretCiphertext,
  replaceUrlCiphertext,
  type Sql,
  urlsNotUnderKey,
} from "@herald/db";
import { type Keyring, sameHash } from "../../crypto.ts";

export interface RotationProgress {
  phase: "urls" | "channels";
  done: number;
  total: number;
}

export interface RotationReport {
  keyId: string;
  urls: { total: number; reencrypted: number; changedMeanwhile: number; undecryptable: string[] };
  /** Entra apps' client secrets, kept under the same keys as the URLs. */
  entraSecrets: { total: number; reencrypted: number; undecryptable: string[] };
  channels: { total: number; rehashed: number; merged: number; busy: number };
}

interface Sealed {
  ciphertext: Uint8Array;
  keyId: string;
}

/** How one kind of sealed value is opened, sealed again and written back (see reencrypt). */
interface SealedColumn {
  open(ciphertext: Uint8Array, keyId: string): string;
  seal(plain: string): Sealed;
  /** Writes `to` only if the row still holds `from`; false when it changed meanwhile. */
  replace(params: { id: string; from: Uint8Array; to: Uint8Array; keyId: string }): Promise<boolean>;
}

/**
 * One value: decrypted under whichever key sealed it, sealed under the current key, and written
 * only if the row still holds what was read. A value under a key neither secret derives is
 * reported, never overwritten.
 */
async function reencrypt(
  column: SealedColumn,
  row: { id: string } & Sealed,
): Promise<"reencrypted" | "changedMeanwhile" | "undecryptable"> {
  let plain: string;
  try {
    plain = column.open(row.ciphertext, row.keyId);
  } catch {
    return "undecryptable";
  }
  const to = column.seal(plain);
  const replaced = await column.replace({
    id: row.id,
    from: row.ciphertext,
    to: to.ciphertext,
    keyId: to.keyId,
  });
  return replaced ? "reencrypted" : "changedMeanwhile";
}

export async function rotateWebhookKeys({
  sql,
  keys,
  batchSize = 200,
  onProgress = () => {},
}: {
  sql: Sql;
  keys: Keyring;
  batchSize?: number;
  onProgress?: (progress: RotationProgress) => void;
}): Promise<RotationReport> {
  const report: RotationReport = {
    keyId: keys.urlKeyId,
    urls: { total: 0, reencrypted: 0, changedMeanwhile: 0, undecryptable: [] },
    entraSecrets: { total: 0, reencrypted: 0, undecryptable: [] },
    channels: { total: 0, rehashed: 0, merged: 0, busy: 0 },
  };

  const webhookUrls: SealedColumn = {
    open: (ciphertext, keyId) => keys.decryptUrl(ciphertext, keyId),
    seal: (url) => keys.encryptUrl(url),
    replace: (params) => replaceUrlCiphertext(sql, params),
  };
  const entraSecrets: SealedColumn = {
    open: (ciphertext, keyId) => keys.decryptSecret(ciphertext, keyId),
    seal: (secret) => keys.encryptSecret(secret),
    replace: (params) => replaceEntraSecretCiphertext(sql, params),
  };

  const urls = report.urls;
  urls.total = await countUrlsNotUnderKey(sql, { keyId: keys.urlKeyId });
  onProgress({ phase: "urls", done: 0, total: urls.total });
  let done = 0;
  for (let afterId = ""; ; ) {
    const rows = await urlsNotUnderKey(sql, { keyId: keys.urlKeyId, afterId, limit: batchSize });
    if (rows.length === 0) break;
    for (const row of rows) {
      afterId = row.id;
      done++;
      const outcome = await reencrypt(webhookUrls, {
        id: row.id,
        ciphertext: row.urlCiphertext,
        keyId: row.urlKeyId,
      });
      if (outcome === "undecryptable") urls.undecryptable.push(row.id);
      else urls[outcome]++;
    }
    onProgress({ phase: "urls", done: Math.min(done, urls.total), total: urls.total });
  }

  // Few rows (one per Entra app): one pass, no batching.
  const secrets = report.entraSecrets;
  for (const row of await entraSecretsNotUnderKey(sql, { keyId: keys.urlKeyId })) {
    secrets.total++;
    const outcome = await reencrypt(entraSecrets, {
      id: row.id,
      ciphertext: row.secretCiphertext,
      keyId: row.secretKeyId,
    });
    if (outcome === "undecryptable") secrets.undecryptable.push(row.id);
    else if (outcome === "reencrypted") secrets.reencrypted++;
  }

  // Channel hashes are HMACs keyed by the secret: recompute them, or the same URL registered from now
  // on would get a second channel and rate windows of its own.
  const channels = report.channels;
  channels.total = await countChannels(sql);
  onProgress({ phase: "channels", done: 0, total: channels.total });
  let seen = 0;
  for (let afterChannelId = "0"; ; ) {
    const samples = await channelSamples(sql, { afterChannelId, limit: batchSize });
    if (samples.length === 0) break;
    for (const sample of samples) {
      afterChannelId = sample.channelId;
      seen++;
      let url: string;
      try {
        url = keys.decryptUrl(sample.urlCiphertext, sample.urlKeyId);
      } catch {
        continue; // its webhooks are in urls.undecryptable already
      }
      const hash = keys.channelHash(url);
      if (sameHash(hash, sample.urlHash)) continue;
      const result: RehashResult = await rehashChannel(sql, { channelId: sample.channelId, urlHash: hash });
      channels[result]++;
    }
    onProgress({ phase: "channels", done: Math.min(seen, channels.total), total: channels.total });
  }
  onProgress({ phase: "channels", done: channels.total, total: channels.total });
  return report;
}
