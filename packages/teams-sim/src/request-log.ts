// Everything the emulator saw: requests, violations, per-channel summaries, and waiters on them.
// Memory stays bounded for benchmarks: bodies beyond maxRecordedBodies are dropped oldest first,
// records beyond maxRecords too; the counts stay exact.

import type { RecordedRequest, SimStats, Violation, WebhookKind } from "./types.ts";
import { pathnameOf } from "./urls.ts";

const LAST_PER_CHANNEL = 5;

export interface ChannelSummary {
  pathname: string;
  /** The URL path (with query) it was created with or first seen at. */
  path: string;
  kind: WebhookKind;
  requests: number;
  delivered: number;
  violations: number;
  /** Latest first. */
  last: RecordedRequest[];
}

interface Waiter {
  count: number;
  pathname: string | undefined;
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface RequestLogLimits {
  maxRecordedBodies: number;
  maxRecords: number;
}

function samePathname(path: string, pathname: string): boolean {
  return path.startsWith(pathname) && (path.length === pathname.length || path[pathname.length] === "?");
}

export class RequestLog {
  readonly #limits: RequestLogLimits;
  #records: RecordedRequest[] = [];
  #violations: Violation[] = [];
  /** Index in #records of the oldest record still holding its body. */
  #oldestBody = 0;
  #stats: SimStats = { requests: 0, delivered: 0, violations: 0, droppedRecords: 0 };
  readonly #channels = new Map<string, ChannelSummary>();
  /** Webhooks created through the API; kept across reset so the status page still lists them. */
  readonly #created = new Map<string, { path: string; kind: WebhookKind }>();
  #waiters: Waiter[] = [];

  constructor(limits: RequestLogLimits) {
    this.#limits = limits;
  }

  get nextSeq(): number {
    return this.#stats.requests + 1;
  }

  registerWebhook(path: string, kind: WebhookKind): void {
    const pathname = pathnameOf(path);
    this.#created.set(pathname, { path, kind });
    this.#channel(pathname, path, kind);
  }

  add(record: RecordedRequest, pathname: string): void {
    this.#stats.requests += 1;
    if (record.delivered) this.#stats.delivered += 1;
    this.#records.push(record);
    this.#bound();

    const channel = this.#channel(pathname, record.path, record.kind);
    channel.requests += 1;
    if (record.delivered) channel.delivered += 1;
    if (record.violation) channel.violations += 1;
    channel.last.unshift(record);
    if (channel.last.length > LAST_PER_CHANNEL) channel.last.pop();

    if (this.#waiters.length > 0) this.#wake();
  }

  addViolation(violation: Violation): void {
    this.#stats.violations += 1;
    this.#violations.push(violation);
    if (this.#violations.length > this.#limits.maxRecords) {
      this.#violations.splice(0, this.#violations.length - this.#limits.maxRecords);
    }
  }

  requests(pathname?: string): RecordedRequest[] {
    if (pathname === undefined) return this.#records.slice();
    return this.#records.filter((r) => samePathname(r.path, pathname));
  }

  violations(pathname?: string): Violation[] {
    if (pathname === undefined) return this.#violations.slice();
    return this.#violations.filter((v) => samePathname(v.path, pathname));
  }

  stats(): SimStats {
    return { ...this.#stats };
  }

  /** Channels seen or created, most recently active first. */
  channels(): ChannelSummary[] {
    const at = (c: ChannelSummary): number => c.last[0]?.at ?? 0;
    return [...this.#channels.values()].sort((a, b) => at(b) - at(a));
  }

  waitFor(count: number, pathname: string | undefined, timeoutMs: number): Promise<RecordedRequest[]> {
    if (this.#count(pathname) >= count) return Promise.resolve(this.requests(pathname));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        pathname,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          const where = pathname === undefined ? "" : ` for ${pathname}`;
          reject(
            new Error(
              `teams-sim: waited ${timeoutMs} ms for ${count} requests${where}, got ${this.#count(pathname)}`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Forgets what was seen; created webhooks stay listed (with zero counts). */
  clear(): void {
    this.#records = [];
    this.#violations = [];
    this.#oldestBody = 0;
    this.#stats = { requests: 0, delivered: 0, violations: 0, droppedRecords: 0 };
    this.#channels.clear();
    for (const [pathname, { path, kind }] of this.#created) this.#channel(pathname, path, kind);
  }

  rejectWaiters(reason: string): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`teams-sim: ${reason}`));
    }
    this.#waiters = [];
  }

  #count(pathname: string | undefined): number {
    if (pathname === undefined) return this.#stats.requests;
    return this.#channels.get(pathname)?.requests ?? 0;
  }

  #wake(): void {
    const ready = this.#waiters.filter((w) => this.#count(w.pathname) >= w.count);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) {
      clearTimeout(waiter.timer);
      waiter.resolve(this.requests(waiter.pathname));
    }
  }

  #channel(pathname: string, path: string, kind: WebhookKind): ChannelSummary {
    let channel = this.#channels.get(pathname);
    if (channel === undefined) {
      channel = { pathname, path, kind, requests: 0, delivered: 0, violations: 0, last: [] };
      this.#channels.set(pathname, channel);
    }
    return channel;
  }

  #bound(): void {
    const { maxRecordedBodies, maxRecords } = this.#limits;
    while (this.#records.length - this.#oldestBody > maxRecordedBodies) {
      const record = this.#records[this.#oldestBody];
      this.#oldestBody += 1;
      if (record === undefined) continue;
      record.body = "";
      record.json = null;
      record.text = null;
      record.bodyDropped = true;
    }
    // Drop in batches of 10% so removing from the front stays amortised O(1).
    if (this.#records.length > maxRecords) {
      const drop = this.#records.length - maxRecords + Math.floor(maxRecords / 10);
      this.#records.splice(0, drop);
      this.#oldestBody = Math.max(0, this.#oldestBody - drop);
      this.#stats.droppedRecords += drop;
    }
  }
}
