// The `herald` command line: every command, registered on one commander program.
import { Command } from "commander";
import { registerMigrate } from "./commands/migrate.ts";
import { registerPlans } from "./commands/plans.ts";
import { registerRotateKey } from "./commands/rotate-key.ts";
import { registerRunCommands } from "./commands/run.ts";
import { registerSend } from "./commands/send.ts";
import { registerTenants } from "./commands/tenants.ts";
import { registerUsers } from "./commands/users.ts";
import type { Io } from "./io.ts";

export function buildProgram(io: Io): Command {
  const program = new Command("herald")
    .description(
      "Run and operate Herald, the self-hosted service that delivers messages to Microsoft Teams channels.\n" +
        "Configuration comes from the environment, as for `npm start` (DATABASE_URL, HERALD_SECRET, ...).",
    )
    .version("0.1.0")
    .showHelpAfterError()
    // Before the commands are added, so that they inherit it: every usage error reaches main.ts.
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerRunCommands(program, io);
  registerMigrate(program, io);
  registerPlans(program, io);
  registerTenants(program, io);
  registerUsers(program, io);
  registerSend(program, io);
  registerRotateKey(program, io);
  program.addHelpText("after", "\nRun `herald <command> --help` for a command's options.");
  return program;
}
