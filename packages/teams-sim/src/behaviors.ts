// Which behavior answers the next request of each webhook.
//
// A behavior set without `times` replaces the webhook's behavior (and drops pending limited ones).
// One set with `times: n` answers the next n requests and then the previous behavior applies again;
// limited behaviors stack, the latest set answers first ("the next n requests" means just that).

import { behaviorProblem } from "./answers.ts";
import type { Behavior } from "./types.ts";

interface Limited {
  behavior: Behavior;
  remaining: number;
}

interface WebhookBehavior {
  /** undefined: the default behavior. */
  base: Behavior | undefined;
  /** Latest last. */
  limited: Limited[];
}

export function assertBehavior(behavior: Behavior): void {
  const problem = behaviorProblem(behavior);
  if (problem !== null) throw new TypeError(`teams-sim: ${problem}`);
}

export class BehaviorTable {
  #default: Behavior = "ok";
  readonly #byPath = new Map<string, WebhookBehavior>();

  setDefault(behavior: Behavior): void {
    assertBehavior(behavior);
    this.#default = behavior;
  }

  set(pathname: string, behavior: Behavior, times?: number): void {
    assertBehavior(behavior);
    if (times === undefined) {
      this.#byPath.set(pathname, { base: behavior, limited: [] });
      return;
    }
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`teams-sim: times must be a whole number >= 1, got ${times}`);
    }
    const entry = this.#byPath.get(pathname) ?? { base: undefined, limited: [] };
    entry.limited.push({ behavior, remaining: times });
    this.#byPath.set(pathname, entry);
  }

  /** The behavior for the request arriving now; uses up one turn of a limited behavior. */
  take(pathname: string): Behavior {
    const entry = this.#byPath.get(pathname);
    if (entry === undefined) return this.#default;
    const top = entry.limited.at(-1);
    if (top === undefined) return entry.base ?? this.#default;
    top.remaining -= 1;
    if (top.remaining === 0) entry.limited.pop();
    if (entry.limited.length === 0 && entry.base === undefined) this.#byPath.delete(pathname);
    return top.behavior;
  }

  clear(): void {
    this.#default = "ok";
    this.#byPath.clear();
  }
}
