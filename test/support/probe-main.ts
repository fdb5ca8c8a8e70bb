// A latency probe in its own process, so that the load a flood test generates in the test process
// does not delay the probe's own requests: argv[2] is the probe's options as JSON; it stops when
// its stdin closes and prints what it saw as one JSON line.
import { closeAgents, type ProbeOptions, probe, warmUp } from "./flood.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as ProbeOptions & { baseUrl: string };
await warmUp(options.baseUrl, options, 10);
const watcher = probe(options.baseUrl, options);
// Ready once its first probe is sent: the test starts its flood then.
process.stdout.write("ready\n");
process.stdin.resume();
process.stdin.on("end", async () => {
  const seen = await watcher.stop();
  closeAgents();
  process.stdout.write(`${JSON.stringify(seen)}\n`);
  process.exit(0);
});
