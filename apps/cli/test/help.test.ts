import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { herald, REPO } from "./run.ts";

const COMMANDS = ["serve", "worker", "teams-sim", "migrate", "plans", "tenants", "send", "rotate-key"];

describe("herald --help", () => {
  it("lists every command", async () => {
    const { code, stdout } = await herald(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: herald \[options\] \[command\]/);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
  });

  it("works as `npx herald` from the repository (the workspace's bin is linked)", () => {
    const result = spawnSync("npx", ["--no-install", "herald", "--help"], { cwd: REPO, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(command);
  });

  it("lists the subcommands of plans and tenants, and the options of send", async () => {
    expect((await herald(["plans", "--help"])).stdout).toMatch(/list[\s\S]*put \[options\] <name>/);
    expect((await herald(["tenants", "--help"])).stdout).toMatch(
      /list \[options\][\s\S]*set-plan <tenantId> <plan>/,
    );
    const send = (await herald(["send", "--help"])).stdout;
    for (const option of ["--url", "--key", "--secret", "--wait", "--idempotency-key", "--card"]) {
      expect(send).toContain(option);
    }
    expect(send).toContain("read from stdin");
    expect(send).toMatch(/^ {2}2 {2}usage error/m);
    expect((await herald(["rotate-key", "--help"])).stdout).toContain("HERALD_SECRET_PREVIOUS");
  });

  it("refuses an unknown command or option as a usage error, exit status 2", async () => {
    expect((await herald(["send", "wh_x", "--no-such-option"])).code).toBe(2);
    const { code, stderr } = await herald(["deliver-everything"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'deliver-everything'");
  });
});
