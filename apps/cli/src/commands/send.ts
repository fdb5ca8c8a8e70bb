// `herald send`: a first message without curl, through the SDK, printing the SendMessageResponse.
import { readFile } from "node:fs/promises";
import type { Herald, SendMessageOptions } from "@herald/sdk";
import type { Command } from "commander";
import { CliError, type Io } from "../io.ts";

interface SendOptions {
  url?: string;
  key?: string;
  secret?: string;
  wait?: string;
  source?: string;
  idempotencyKey?: string;
  card?: string;
}

export function registerSend(program: Command, io: Io): void {
  program
    .command("send <webhookId> [text...]")
    .summary("send a message to a webhook with a binding key")
    .description(
      "Send a message to a webhook with a binding key and print the SendMessageResponse.\n" +
        "The text is the arguments after the webhook ID; without any (or with -), it is read from stdin\n" +
        "when stdin is piped or redirected: echo 'Backup done' | herald send wh_…",
    )
    .option("--url <url>", "Herald's address (HERALD_URL)", io.env.HERALD_URL || "http://localhost:3000")
    .option("--key <licenseKey>", "the binding key's LicenseKey (HERALD_LICENSE_KEY)")
    .option(
      "--secret <licenseSecret>",
      "its LicenseSecret (HERALD_LICENSE_SECRET; prefer the variable: arguments show in ps)",
    )
    .option("--wait <seconds>", "seconds to wait for Teams' answer, 0 to only queue (0..30)")
    .option("--source <name>", "the workflow or script that sends it, as the console shows it")
    .option(
      "--idempotency-key <key>",
      "send again with the same key to get the first answer, never a second message",
    )
    .option("--card <file>", "a JSON file with a MessageCard or an Adaptive Card to send")
    .addHelpText(
      "after",
      [
        "",
        "Exit status:",
        "  0  delivered, or queued (--wait 0, or Teams asked to wait)",
        "  1  failed or rejected (the SendMessageResponse on stdout says why), or Herald unreachable",
        "  2  usage error: no binding key, no text, a bad option or card file; nothing was sent",
        "",
        "Examples:",
        '  HERALD_LICENSE_KEY=hk_… HERALD_LICENSE_SECRET=hs_… herald send wh_… "Ticket #1234 was raised"',
        "  df -h / | herald send wh_… --source disk-check",
      ].join("\n"),
    )
    .action(async (webhookId: string, words: string[], o: SendOptions) => {
      const licenseKey = o.key ?? io.env.HERALD_LICENSE_KEY;
      const licenseSecret = o.secret ?? io.env.HERALD_LICENSE_SECRET;
      if (!licenseKey || !licenseSecret)
        throw new CliError(
          "Give the binding key: --key and --secret, or HERALD_LICENSE_KEY and HERALD_LICENSE_SECRET.",
          2,
        );
      const fromStdin = words.length === 0 || (words.length === 1 && words[0] === "-");
      const piped = fromStdin ? await io.readPiped() : undefined;
      // A piped text ends with the newline its producer printed; Teams would show it as a blank line.
      const text = piped !== undefined ? piped.replace(/\r?\n$/, "") : fromStdin ? "" : words.join(" ");
      const options: SendMessageOptions = {};
      if (o.card) options.card = await readCard(o.card);
      if (!text.trim() && !options.card)
        throw new CliError("Give the text to send: as arguments, piped to stdin, or --card <file>.", 2);
      if (o.wait !== undefined) {
        const wait = Number(o.wait);
        if (!Number.isInteger(wait) || wait < 0 || wait > 30)
          throw new CliError(`--wait: "${o.wait}" is not a whole number of seconds from 0 to 30`, 2);
        options.wait = wait;
      }
      if (o.source) options.source = o.source;
      if (o.idempotencyKey) options.idempotencyKey = o.idempotencyKey;

      const { Herald } = await import("@herald/sdk");
      const herald = new Herald({ baseUrl: o.url ?? "http://localhost:3000", licenseKey, licenseSecret });
      let answer: Awaited<ReturnType<Herald["sendMessage"]>>;
      try {
        answer = await herald.sendMessage(webhookId, text || undefined, options);
      } catch (error) {
        throw new CliError(
          `Could not reach Herald at ${o.url}: ${error instanceof Error ? error.message : error}`,
        );
      }
      const { httpStatus: _status, ...response } = answer;
      io.out(`${JSON.stringify(response, null, 2)}\n`);
      if (response.status === "failed" || response.status === "rejected") throw new CliError("", 1);
    });
}

async function readCard(file: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new CliError(`--card ${file}: ${error instanceof Error ? error.message : error}`, 2);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new CliError(`--card ${file}: expected a JSON object (a MessageCard or an Adaptive Card)`, 2);
  return parsed as Record<string, unknown>;
}
