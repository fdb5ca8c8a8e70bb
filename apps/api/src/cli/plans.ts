// Plan administration from a shell, straight against the database (the operator API's
// GET/PUT /admin/v1/plans without a running server or an admin token):
//
//   node --import tsx apps/api/src/cli/plans.ts list
//   node --import tsx apps/api/src/cli/plans.ts put pro --display-name Pro --webhooks 25 \
//     --messages 10000 --bill-overage --price price_123 --metered-price price_456
//
// `put` changes only the options given on an existing plan; "unlimited" (or "none") clears a limit.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  getPlan,
  listPlans,
  migrate,
  openDatabase,
  type PlanRow,
  type Queryable,
  upsertPlan,
} from "@herald/db";
import { ConfigError, loadConfig } from "../config.ts";

const USAGE = `usage: plans list
       plans put <name> [--display-name TEXT] [--webhooks N|unlimited] [--messages N|unlimited]
                        [--bill-overage | --no-bill-overage] [--trial-days N|none] [--rps N|none]
                        [--price PRICE_ID|none] [--metered-price PRICE_ID|none]`;

export class PlansCommandError extends Error {}

/** Runs `list` or `put` and returns what to print. */
export async function runPlansCommand(sql: Queryable, argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "display-name": { type: "string" },
      webhooks: { type: "string" },
      messages: { type: "string" },
      "bill-overage": { type: "boolean" },
      "no-bill-overage": { type: "boolean" },
      "trial-days": { type: "string" },
      rps: { type: "string" },
      price: { type: "string" },
      "metered-price": { type: "string" },
    },
  });
  const [verb, name] = positionals;
  if (verb === "list") return formatPlans(await listPlans(sql));
  if (verb !== "put" || !name) throw new PlansCommandError(USAGE);
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(name)) {
    throw new PlansCommandError(`plan name "${name}": use lowercase letters, digits, - and _ (at most 63)`);
  }
  const current = await getPlan(sql, { name });
  const plan: PlanRow = {
    name,
    displayName: values["display-name"] ?? current?.displayName ?? name,
    webhookLimit: limitOption("--webhooks", values.webhooks, current?.webhookLimit ?? null, 0),
    monthlyMessageLimit: limitOption("--messages", values.messages, current?.monthlyMessageLimit ?? null, 0),
    billOverage: values["no-bill-overage"]
      ? false
      : (values["bill-overage"] ?? current?.billOverage ?? false),
    trialDays: limitOption("--trial-days", values["trial-days"], current?.trialDays ?? null, 1),
    requestsPerSecond: limitOption("--rps", values.rps, current?.requestsPerSecond ?? null, 1),
    stripePriceId: textOption(values.price, current?.stripePriceId ?? null),
    stripeMeteredPriceId: textOption(values["metered-price"], current?.stripeMeteredPriceId ?? null),
  };
  return `${current ? "changed" : "defined"} plan ${name}\n${formatPlans([await upsertPlan(sql, plan)])}`;
}

function limitOption(flag: string, given: string | undefined, current: number | null, min: number) {
  if (given === undefined) return current;
  if (["unlimited", "none"].includes(given)) return null;
  const n = Number(given);
  if (!Number.isInteger(n) || n < min) {
    throw new PlansCommandError(`${flag}: "${given}" is not a whole number >= ${min} (or "unlimited")`);
  }
  return n;
}

function textOption(given: string | undefined, current: string | null) {
  if (given === undefined) return current;
  return given === "none" || given === "" ? null : given;
}

const shown = (n: number | null, none = "unlimited") => (n === null ? none : String(n));

export function formatPlans(plans: PlanRow[]): string {
  const rows = plans.map((p) => [
    p.name,
    p.displayName,
    shown(p.webhookLimit),
    shown(p.monthlyMessageLimit),
    p.billOverage ? "yes" : "no",
    shown(p.trialDays, "-"),
    shown(p.requestsPerSecond, "-"),
    p.stripePriceId ?? "-",
    p.stripeMeteredPriceId ?? "-",
  ]);
  const header = [
    "NAME",
    "DISPLAY NAME",
    "WEBHOOKS",
    "MESSAGES/MONTH",
    "OVERAGE",
    "TRIAL DAYS",
    "RPS",
    "PRICE",
    "METERED PRICE",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: 1,
  });
  try {
    await migrate(db.sql);
    console.log(await runPlansCommand(db.sql, process.argv.slice(2)));
  } catch (error) {
    // parseArgs reports unknown or malformed options as a TypeError with a code.
    if (!(error instanceof PlansCommandError || (error instanceof TypeError && "code" in error))) throw error;
    console.error(error.message);
    process.exitCode = 2;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
