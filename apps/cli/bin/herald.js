#!/usr/bin/env node
// The `herald` command: registers tsx (what `node --import tsx` does) and runs the TypeScript entry,
// so the CLI needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
