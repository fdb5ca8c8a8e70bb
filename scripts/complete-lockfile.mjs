// Adds lockfile entries for optional platform binaries that this machine's registry does not serve
// (npm then records none, and `npm ci` refuses the lockfile). npm never fetches an optional package
// whose os/cpu do not match, so version + os + cpu is all an entry needs.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(readFileSync(file, "utf8"));
const PLATFORM =
  /(?:^|[-/])(darwin|win32|windows|linux|android|freebsd|openbsd|sunos|aix)(?:-(x64|arm64|ia32|arm|s390x|ppc64|riscv64|loong64))?(?:-(musl|gnu))?/;
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === "" ? "" : `${path}/`;
    const target = `${base}node_modules/${name}`.replace(/^\//, "");
    const hoisted = `node_modules/${name}`;
    if (lock.packages[target] || lock.packages[hoisted]) continue;
    const match = PLATFORM.exec(name.split("/").pop() ?? "");
    if (!match) continue;
    const [, osName, cpu, libc] = match;
    const os = osName === "windows" ? "win32" : osName;
    lock.packages[hoisted] = {
      version,
      optional: true,
      os: [os],
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} optional platform entries to ${file}`);
