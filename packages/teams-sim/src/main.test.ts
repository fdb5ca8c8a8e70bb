import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

let child: ChildProcess | undefined;

afterEach(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
});

/** Collects stdout until `pattern` matches, then answers the match. */
function waitForOutput(proc: ChildProcess, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in output:\n${output}`)), timeoutMs);
    proc.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    proc.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
}

describe("npm run teams-sim", () => {
  it("prints its URLs, serves webhooks and the control API, and stops on SIGTERM", async () => {
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", main], {
      env: { ...process.env, PORT: "0", TEAMS_SIM_QUIET: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const proc = child;
    const [, baseUrl, legacyUrl, workflowsUrl] = await waitForOutput(
      proc,
      /listening on (\S+)[\s\S]*legacy webhook:\s+(\S+)[\s\S]*workflows webhook:\s+(\S+)/,
    );
    expect(legacyUrl).toContain("/webhookb2/general@");
    expect(workflowsUrl).toContain("/workflows/general/triggers/manual/paths/invoke?");

    const health = await fetch(`${baseUrl}/_sim/health`).then((r) => r.json());
    expect(health).toMatchObject({ ok: true, baseUrl });
    const res = await fetch(legacyUrl ?? "", { method: "POST", body: '{"text":"from the CLI test"}' });
    expect(await res.text()).toBe("1");

    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 20_000);

  it("stops with a message naming the variable when PORT is not a port", async () => {
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", main], {
      env: { ...process.env, PORT: "eighty" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const proc = child;
    let stderr = "";
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => proc.once("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be a port number, got "eighty"');
  }, 20_000);
});
