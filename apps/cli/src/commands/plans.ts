// `herald plans list|put`: plan administration through the services behind GET and
// PUT /admin/v1/plans, so a plan put here is stored exactly as the operator API would store it
// (no server or admin token needed). The flags only turn text into the service's typed settings.
import type { PlanChanges } from "@herald/api";
import type { PlanRow } from "@herald/db";
import type { Command } from "commander";
import { CliError, type Io, table } from "../io.ts";
import { withRuntime } from "../runtime.ts";

type Setting = keyof PlanChanges;

/** Each text flag: the setting it gives and how its text becomes a value. */
const TEXT_FLAGS: ReadonlyArray<{
  flag: string;
  option: keyof PutOptions;
  setting: Setting;
  parse: (flag: string, text: string) => string | number | null;
}> = [
  { flag: "--display-name", option: "displayName", setting: "displayName", parse: (_, text) => text },
  { flag: "--webhooks", option: "webhooks", setting: "webhookLimit", parse: wholeNumberOrNone },
  { flag: "--messages", option: "messages", setting: "monthlyMessageLimit", parse: wholeNumberOrNone },
  { flag: "--trial-days", option: "trialDays", setting: "trialDays", parse: wholeNumberOrNone },
  { flag: "--rps", option: "rps", setting: "requestsPerSecond", parse: wholeNumberOrNone },
  { flag: "--price", option: "price", setting: "stripePriceId", parse: textOrNone },
  { flag: "--metered-price", option: "meteredPrice", setting: "stripeMeteredPriceId", parse: textOrNone },
];
const FLAG_OF: Partial<Record<string, string>> = {
  ...Object.fromEntries(TEXT_FLAGS.map((f) => [f.setting, f.flag])),
  billOverage: "--bill-overage",
};

interface PutOptions {
  displayName?: string;
  webhooks?: string;
  messages?: string;
  billOverage?: boolean;
  trialDays?: string;
  rps?: string;
  price?: string;
  meteredPrice?: string;
}

function wholeNumberOrNone(flag: string, text: string): number | null {
  if (text === "unlimited" || text === "none") return null;
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n))
    throw new CliError(`${flag}: "${text}" is not a whole number (or "unlimited")`, 2);
  return n;
}

function textOrNone(_flag: string, text: string): string | null {
  return text === "none" || text === "" ? null : text;
}

/** The settings the flags give; a flag left out leaves its setting as it is. */
export function changesFromOptions(o: PutOptions): PlanChanges {
  const changes: Record<string, unknown> = {};
  for (const { flag, option, setting, parse } of TEXT_FLAGS) {
    const text = o[option];
    if (typeof text === "string") changes[setting] = parse(flag, text);
  }
  if (o.billOverage !== undefined) changes.billOverage = o.billOverage;
  return changes as PlanChanges;
}

const shown = (n: number | null, none = "unlimited") => (n === null ? none : String(n));

export function formatPlans(plans: PlanRow[]): string {
  return table(
    [
      "NAME",
      "DISPLAY NAME",
      "WEBHOOKS",
      "MESSAGES/MONTH",
      "OVERAGE",
      "TRIAL DAYS",
      "RPS",
      "PRICE",
      "METERED PRICE",
    ],
    plans.map((p) => [
      p.name,
      p.displayName,
      shown(p.webhookLimit),
      shown(p.monthlyMessageLimit),
      p.billOverage ? "yes" : "no",
      shown(p.trialDays, "-"),
      shown(p.requestsPerSecond, "-"),
      p.stripePriceId ?? "-",
      p.stripeMeteredPriceId ?? "-",
    ]),
  );
}

async function put(io: Io, name: string, changes: PlanChanges): Promise<void> {
  const { DomainError, putPlan } = await import("@herald/api");
  await withRuntime(io, async ({ ctx }) => {
    try {
      const { plan, created } = await putPlan({ ctx, name, changes });
      io.out(`${created ? "defined" : "changed"} plan ${name}\n${formatPlans([plan])}`);
    } catch (error) {
      if (error instanceof DomainError && error.code === "invalid_request")
        throw new CliError(inFlagTerms(error), 2);
      throw error;
    }
  });
}

/** The service names settings as the API does; say which flag was wrong instead. */
function inFlagTerms(error: { message: string; details?: Record<string, unknown> | undefined }): string {
  const fields = error.details?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return error.message;
  return fields
    .map((f: { field?: unknown; problem?: unknown }) => {
      const field = String(f.field);
      const flag = field === "name" ? "plan name" : (FLAG_OF[field] ?? field);
      return `${flag}: ${String(f.problem)}`;
    })
    .join("; ");
}

export function registerPlans(program: Command, io: Io): void {
  const command = program.command("plans").description("list plans, or define and change them");
  command
    .command("list")
    .description("list every plan with its limits and prices")
    .action(async () => {
      const { getPlans } = await import("@herald/api");
      await withRuntime(io, async ({ ctx }) => io.out(formatPlans(await getPlans({ ctx }))));
    });
  command
    .command("put <name>")
    .description(
      "define a plan, or change one: the settings given change, the others keep their value " +
        '(a new plan starts with no limits, no overage, no trial, no prices); "unlimited"/"none" clears one. ' +
        "Same semantics as PUT /admin/v1/plans/{name}.",
    )
    .option("--display-name <text>", "name shown to tenants (a new plan: its name)")
    .option("--webhooks <n>", "webhook limit, or unlimited")
    .option("--messages <n>", "messages per month, or unlimited")
    .option("--bill-overage", "bill messages beyond the monthly limit instead of refusing them")
    .option("--no-bill-overage", "refuse messages beyond the monthly limit")
    .option("--trial-days <n>", "trial length in days, or none")
    .option("--rps <n>", "requests per second per binding key, or none")
    .option("--price <id>", "Stripe price id, or none")
    .option("--metered-price <id>", "Stripe metered price id for overage, or none")
    .action((name: string, o: PutOptions) => put(io, name, changesFromOptions(o)));
}
