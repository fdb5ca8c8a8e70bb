// Entry of the `herald` command (bin/herald.js imports it through the package's "./main" export).
import { CommanderError } from "commander";
import { CliError, processIo } from "./io.ts";
import { buildProgram } from "./program.ts";

const program = buildProgram(processIo);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeOf(error);
}

function exitCodeOf(error: unknown): number {
  // --help and --version end the program through an error too, with exit code 0; every other
  // CommanderError is a usage error (unknown command or option, missing argument): status 2.
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof CliError) {
    if (error.message) process.stderr.write(`herald: ${error.message}\n`);
    return error.exitCode;
  }
  // Domain errors of Herald's services carry a sentence meant for people; show it without a stack.
  if (error instanceof Error && error.name === "DomainError") {
    process.stderr.write(`herald: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(
    `herald: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}
