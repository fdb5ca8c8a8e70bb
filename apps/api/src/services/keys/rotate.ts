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
      let url: string;
      try {
        url = keys.decryptUrl(row.urlCiphertext, row.urlKeyId);
      } catch {
        // Under a key neither secret derives: reported, never overwritten.
        urls.undecryptable.push(row.id);
        continue;
      }
      const { ciphertext, keyId } = keys.encryptUrl(url);
      const replaced = await replaceUrlCiphertext(sql, {
        id: row.id,
        from: row.urlCiphertext,
        to: ciphertext,
        keyId,
      });
      if (replaced) urls.reencrypted++;
      else urls.changedMeanwhile++;
    }
    onProgress({ phase: "urls", done: Math.min(done, urls.total), total: urls.total });
  }

  // Few rows (one per Entra app): one pass, no batching.
  const secrets = report.entraSecrets;
  for (const row of await entraSecretsNotUnderKey(sql, { keyId: keys.urlKeyId })) {
    secrets.total++;
    let secret: string;
    try {
      secret = keys.decryptSecret(row.secretCiphertext, row.secretKeyId);
    } catch {
      secrets.undecryptable.push(row.id);
      continue;
    }
    const { ciphertext, keyId } = keys.encryptSecret(secret);
    if (
      await replaceEntraSecretCiphertext(sql, {
        id: row.id,
        from: row.secretCiphertext,
        to: ciphertext,
        keyId,
      })
    )
      secrets.reencrypted++;
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
