// `herald users reset-password <email>`: prints a one-time link (valid for an hour) with which the
// user sets a new password in the console. Herald sends no email; the operator passes the link on.
import type { Command } from "commander";
import { CliError, type Io } from "../io.ts";
import { withRuntime } from "../runtime.ts";

export function registerUsers(program: Command, io: Io): void {
  const command = program.command("users").description("help console users who cannot sign in");
  command
    .command("reset-password <email>")
    .description(
      "print a one-time link (valid 1 hour) to set a new password; using it signs the user out everywhere and lifts a sign-in lockout",
    )
    .action(async (email: string) => {
      const { createPasswordReset } = await import("@herald/api");
      await withRuntime(io, async ({ ctx }) => {
        const baseUrl = ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`;
        const reset = await createPasswordReset(ctx, { email, baseUrl });
        if (!reset) throw new CliError(`No console user has the email ${email}.`);
        io.out(`${reset.link}\n`);
        io.err(
          `One-time link for ${email}, valid until ${reset.expiresAt.toISOString()}. Set HERALD_PUBLIC_URL if the host is not where users reach Herald.\n`,
        );
      });
    });
}
