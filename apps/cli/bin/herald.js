#!/usr/bin/env node
// The `herald` command. It imports its own package's "./main" export: the compiled dist/main.js, or
// src/main.ts when run with `--conditions=development --import tsx` (how the tests run it).
await import("@herald/cli/main");
