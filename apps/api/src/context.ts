// What every service receives: the delivery engine's context (database, clock, signals, logger,
// metrics) plus the full configuration and the keyring.
import { randomBytes } from "node:crypto";
import { formatId } from "@herald/core";
import type { DeliveryContext } from "@herald/delivery";
import type { Config } from "./config.ts";
import type { Keyring } from "./crypto.ts";
import type { HeraldMetrics } from "./metrics/index.ts";

export { type Clock, DeliverySignals, systemClock, utcDay } from "@herald/delivery";

export interface AppContext extends DeliveryContext {
  readonly config: Config;
  readonly keys: Keyring;
  readonly metrics: HeraldMetrics;
}

export type IdPrefix = Parameters<typeof formatId>[0];
const ID_BYTES = 10;
const ID_POOL_BYTES = ID_BYTES * 1024;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/**
 * A new id: 80 random bits. Taken from a pool refilled 1,024 ids at a time, since one
 * randomBytes() call per id showed up in the sendMessage profile. Refills allocate a new buffer,
 * so an id's bytes are never reused.
 */
export function newId(prefix: IdPrefix): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_POOL_BYTES);
    idOffset = 0;
  }
  const bytes = idPool.subarray(idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return formatId(prefix, bytes);
}

export function utcMonth(date: Date): string {
  return `${date.toISOString().slice(0, 7)}-01`;
}
