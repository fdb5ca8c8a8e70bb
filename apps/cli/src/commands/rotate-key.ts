// `herald rotate-key`: after HERALD_SECRET changed, re-encrypts every stored webhook URL under the new
// secret (reading the old ones with HERALD_SECRET_PREVIOUS) and re-keys the channel hashes.
import type { RotationProgress } from "@herald/api";
import type { Command } from "commander";
import { CliError, type Io } from "../io.ts";
import { type Progress, progress } from "../progress.ts";
import { withDatabase } from "../runtime.ts";

const STEPS = `
Rotating HERALD_SECRET:
  1. Run every replica with HERALD_SECRET=<new> and HERALD_SECRET_PREVIOUS=<old> (both keys read URLs).
  2. Run \`herald rotate-key\` with the same two variables; re-run it until it reports nothing left.
  3. Remove HERALD_SECRET_PREVIOUS everywhere. Console sessions signed with the old secret end.
`;

export function registerRotateKey(program: Command, io: Io): void {
  program
    .command("rotate-key")
    .description(
      "re-encrypt every webhook URL under the current HERALD_SECRET (reading with HERALD_SECRET_PREVIOUS)",
    )
    .option("--batch-size <n>", "rows per batch", "200")
    .addHelpText("after", STEPS)
    .action(async (o: { batchSize: string }) => {
      const batchSize = Number(o.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
        throw new CliError(`--batch-size: "${o.batchSize}" is not a whole number from 1 to 10000`, 2);
      const { createKeyring, rotateWebhookKeys } = await import("@herald/api");
      await withDatabase(io, async (db, config) => {
        if (!config.previousSecret)
          io.err(
            "HERALD_SECRET_PREVIOUS is not set: only URLs already readable with HERALD_SECRET can be rotated.\n",
          );
        const keys = createKeyring(config.secret, config.previousSecret);
        const bars: Record<RotationProgress["phase"], Progress> = {
          urls: progress(io, "re-encrypting webhook URLs"),
          channels: progress(io, "re-keying channels"),
        };
        let phase: RotationProgress["phase"] | undefined;
        const report = await rotateWebhookKeys({
          sql: db.sql,
          keys,
          batchSize,
          onProgress: (p) => {
            if (phase && phase !== p.phase) bars[phase].finish();
            phase = p.phase;
            bars[p.phase].update(p.done, p.total);
          },
        });
        if (phase) bars[phase].finish();

        const { urls, channels } = report;
        io.out(
          `Webhook URLs: ${urls.reencrypted} re-encrypted under key ${report.keyId}` +
            `${urls.changedMeanwhile ? `, ${urls.changedMeanwhile} changed meanwhile (re-run)` : ""}` +
            `${urls.undecryptable.length ? `, ${urls.undecryptable.length} unreadable` : ""}.\n` +
            `Entra app secrets: ${report.entraSecrets.reencrypted} re-encrypted` +
            `${report.entraSecrets.undecryptable.length ? `, ${report.entraSecrets.undecryptable.length} unreadable` : ""}.\n` +
            `Channels: ${channels.total} checked, ${channels.rehashed} re-keyed, ${channels.merged} merged with a twin` +
            `${channels.busy ? `, ${channels.busy} busy (re-run)` : ""}.\n`,
        );
        if (urls.undecryptable.length > 0) {
          throw new CliError(
            `${urls.undecryptable.length} webhook URL(s) are under a key neither HERALD_SECRET nor HERALD_SECRET_PREVIOUS derives ` +
              `(first: ${urls.undecryptable.slice(0, 5).join(", ")}); set HERALD_SECRET_PREVIOUS to the secret they were stored with.`,
          );
        }
        if (urls.changedMeanwhile > 0 || channels.busy > 0)
          throw new CliError(
            "Some rows changed or were in use during the run; run `herald rotate-key` again.",
            3,
          );
      });
    });
}
