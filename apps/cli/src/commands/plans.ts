// `herald plans list|put`: plan administration straight against the database, through the same
// runPlansCommand the api package offers (GET/PUT /admin/v1/plans without a server or a token).
import type { Command } from "commander";
import { CliError, type Io } from "../io.ts";
import { withDatabase } from "../runtime.ts";

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

async function plans(io: Io, argv: string[]): Promise<void> {
  const { PlansCommandError, runPlansCommand } = await import("@herald/api");
  await withDatabase(io, async (db) => {
    try {
      io.out(`${await runPlansCommand(db.sql, argv)}\n`);
    } catch (error) {
      if (error instanceof PlansCommandError) throw new CliError(error.message, 2);
      throw error;
    }
  });
}

export function registerPlans(program: Command, io: Io): void {
  const command = program.command("plans").description("list plans, or define and change them");
  command
    .command("list")
    .description("list every plan with its limits and prices")
    .action(() => plans(io, ["list"]));
  command
    .command("put <name>")
    .description(
      'define a plan, or change the given settings of an existing one ("unlimited"/"none" clears a limit)',
    )
    .option("--display-name <text>", "name shown to tenants")
    .option("--webhooks <n>", "webhook limit, or unlimited")
    .option("--messages <n>", "messages per month, or unlimited")
    .option("--bill-overage", "bill messages beyond the monthly limit instead of refusing them")
    .option("--no-bill-overage", "refuse messages beyond the monthly limit")
    .option("--trial-days <n>", "trial length in days, or none")
    .option("--rps <n>", "requests per second per binding key, or none")
    .option("--price <id>", "Stripe price id, or none")
    .option("--metered-price <id>", "Stripe metered price id for overage, or none")
    .action((name: string, o: PutOptions) => {
      const argv = ["put", name];
      const pairs: Array<[string, string | undefined]> = [
        ["--display-name", o.displayName],
        ["--webhooks", o.webhooks],
        ["--messages", o.messages],
        ["--trial-days", o.trialDays],
        ["--rps", o.rps],
        ["--price", o.price],
        ["--metered-price", o.meteredPrice],
      ];
      for (const [flag, value] of pairs) if (value !== undefined) argv.push(flag, value);
      if (o.billOverage === true) argv.push("--bill-overage");
      if (o.billOverage === false) argv.push("--no-bill-overage");
      return plans(io, argv);
    });
}
