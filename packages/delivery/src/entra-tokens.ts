// Entra access tokens for flows restricted to a tenant's users, one per Entra app, cached until
// shortly before they expire. Concurrent sends share one token request: under load a worker asks
// Entra about once an hour per app, not once per message.
//
// A small undici client rather than @azure/msal-node: MSAL refuses plain-http authorities, which
// the tests' emulated Entra is, and Herald needs one grant (client credentials) whose request and
// answer are a form post and a JSON object; MSAL would bring its own cache and retry policy on top
// of the worker's.
import { readTokenAnswer, tokenEndpoint, tokenRequestBody } from "@herald/core";
import { getEntraAppSecret } from "@herald/db";
import { Agent, request } from "undici";
import type { DeliveryContext } from "./context.ts";
import { readCapped } from "./read-capped.ts";

export type TokenResult =
  | { ok: true; token: string }
  /** Entra refused the request (a wrong secret, an unknown app): the tenant must fix the app. */
  | { ok: false; refused: true; code: string; description: string; appName: string }
  /** Entra could not be asked, or answered nothing usable: worth another try. */
  | { ok: false; refused: false; description: string };

interface Cached {
  token: string;
  reuseUntilMs: number;
}

const MAX_ANSWER_BYTES = 64 * 1024;

export class EntraTokens {
  readonly #cached = new Map<string, Cached>();
  readonly #pending = new Map<string, Promise<TokenResult>>();
  readonly #agent: Agent;
  #requests = 0;

  constructor(private readonly ctx: DeliveryContext) {
    const timeout = Math.min(ctx.config.sendTimeoutMs, 10_000);
    this.#agent = new Agent({
      connect: { timeout },
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connections: 4,
    });
  }

  /** Token requests this worker made (for metrics and tests). */
  get requests(): number {
    return this.#requests;
  }

  /** A token for the app, from the cache while it is fresh, or from one request shared by all callers. */
  get(tenantId: string, entraAppId: string): Promise<TokenResult> {
    const cached = this.#cached.get(entraAppId);
    if (cached !== undefined && cached.reuseUntilMs > this.ctx.clock.now().getTime()) {
      return Promise.resolve({ ok: true, token: cached.token });
    }
    let pending = this.#pending.get(entraAppId);
    if (pending === undefined) {
      pending = this.#fetch(tenantId, entraAppId).finally(() => this.#pending.delete(entraAppId));
      this.#pending.set(entraAppId, pending);
    }
    return pending;
  }

  /** The flow refused this token: forget it (unless a newer one replaced it meanwhile). */
  invalidate(entraAppId: string, token: string): void {
    if (this.#cached.get(entraAppId)?.token === token) this.#cached.delete(entraAppId);
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  async #fetch(tenantId: string, entraAppId: string): Promise<TokenResult> {
    const app = await getEntraAppSecret(this.ctx.sql, { tenantId, entraAppId });
    if (app === undefined) {
      return {
        ok: false,
        refused: true,
        code: "entra_app_removed",
        description: "The Entra app attached to this webhook was removed.",
        appName: entraAppId,
      };
    }
    const body = tokenRequestBody({
      clientId: app.clientId,
      clientSecret: this.ctx.keys.decryptSecret(app.secretCiphertext, app.secretKeyId),
      audience: app.audience,
    });
    this.#requests++;
    let status: number;
    let text: string;
    try {
      const res = await request(tokenEndpoint(this.ctx.config.entraAuthority, app.entraTenantId), {
        method: "POST",
        dispatcher: this.#agent,
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body,
      });
      status = res.statusCode;
      text = await readCapped(res.body, MAX_ANSWER_BYTES);
    } catch (error) {
      // undici's messages name the host at most; the secret is only in the body, never echoed.
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, refused: false, description: `Microsoft Entra could not be reached: ${message}` };
    }
    const answer = readTokenAnswer(status, text, this.ctx.clock.now().getTime());
    if (answer.ok) {
      this.#cached.set(entraAppId, { token: answer.accessToken, reuseUntilMs: answer.reuseUntilMs });
      return { ok: true, token: answer.accessToken };
    }
    if (answer.refused) {
      return {
        ok: false,
        refused: true,
        code: answer.code,
        description: answer.description,
        appName: app.name,
      };
    }
    return {
      ok: false,
      refused: false,
      description: `Microsoft Entra answered HTTP ${status}: ${answer.description}`,
    };
  }
}
