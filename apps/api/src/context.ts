// What every service receives: the database, configuration, keys, a clock and the delivery signals.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { formatId } from "@herald/core";
import type { Sql } from "@herald/db";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Keyring } from "./crypto.ts";

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/**
 * In-process signals between the api and a worker in the same process: "new work" wakes the
 * worker without waiting for its poll, "message finished" wakes a waiting sendMessage call.
 * Across processes the same happens through polling, so this is an optimisation, never a need.
 */
export class DeliverySignals extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
  workQueued(): void {
    this.emit("work");
  }
  messageFinished(messageId: string): void {
    this.emit(`finished:${messageId}`);
  }
}

export interface AppContext {
  readonly sql: Sql;
  readonly engine: "postgres" | "embedded";
  readonly config: Config;
  readonly keys: Keyring;
  readonly clock: Clock;
  readonly signals: DeliverySignals;
  readonly logger: Logger;
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

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function utcMonth(date: Date): string {
  return `${date.toISOString().slice(0, 7)}-01`;
}
