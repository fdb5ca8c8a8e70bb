// `npm start`: turns on Node's compile cache, then starts the api (serve-main.ts, which the build
// bundles into one file with its dependencies: scripts/build.mjs).
//
// Compiling that code is a good part of a start on a 2-core machine. With the cache (Node 22.1 and
// later; Node 20 has none and starts as before) V8 reuses the code it compiled on the last start,
// keyed by each file's contents, so a rebuilt dist/ hits it as long as the output is the same.
// The cache lives with the install, writable only by whoever installed it, not in a shared /tmp;
// NODE_COMPILE_CACHE, when set, is Node's own and wins (the Docker image sets it). Where the folder
// cannot be written, Node reports FAILED and the start goes on without it.
import module from "node:module";
import { fileURLToPath } from "node:url";

type EnableCompileCache = (directory?: string) => { status: number; message?: string };
const enableCompileCache = (module as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
if (enableCompileCache && !process.env.NODE_COMPILE_CACHE) {
  enableCompileCache(fileURLToPath(new URL("../../../node_modules/.cache/herald-compile", import.meta.url)));
}

await import("./serve-main.ts");
