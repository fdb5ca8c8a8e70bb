// `herald tenants list|set-plan`: the operator's tenant commands, through Herald's own services.
import type { Command } from "commander";
import { CliError, type Io, table } from "../io.ts";
import { withRuntime } from "../runtime.ts";

export function registerTenants(program: Command, io: Io): void {
  const command = program.command("tenants").description("list tenants, or move one to another plan");
  command
    .command("list")
    .description("list tenants with their plan and subscription status")
    .option("--limit <n>", "at most this many", "100")
    .option("--after <tenantId>", "start after this tenant id (the last one of the previous page)")
    .option("--json", "print JSON instead of a table")
    .action(async (o: { limit: string; after?: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw new CliError(`--limit: "${o.limit}" is not a whole number from 1 to 500`, 2);
      const { getTenants } = await import("@herald/api");
      await withRuntime(io, async ({ ctx }) => {
        const tenants = await getTenants({ ctx, limit, after: o.after });
        if (o.json) {
          io.out(`${JSON.stringify(tenants, null, 2)}\n`);
          return;
        }
        io.out(
          table(
            ["ID", "NAME", "PLAN", "STATUS", "TRIAL ENDS", "CREATED"],
            tenants.map((t) => [
              t.id,
              t.name,
              t.plan,
              t.subscriptionStatus,
              t.trialEndsAt?.toISOString().slice(0, 10) ?? "-",
              t.createdAt.toISOString().slice(0, 10),
            ]),
          ),
        );
      });
    });
  command
    .command("set-plan <tenantId> <plan>")
    .description("move a tenant to a plan (e.g. unlimited for your own company)")
    .action(async (tenantId: string, plan: string) => {
      const { assignPlan } = await import("@herald/api");
      await withRuntime(io, async ({ ctx }) => {
        await assignPlan({ ctx, tenantId, plan });
        io.out(`Tenant ${tenantId} is on plan ${plan}.\n`);
      });
    });
}
