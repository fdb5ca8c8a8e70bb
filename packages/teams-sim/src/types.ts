// The public contract of the Teams emulator: what tests, browser tests and benchmarks code against.

import type { EntraApp, TokenRequestRecord } from "./entra.ts";
import type { BearerSeen, FlowOAuth, FlowState } from "./flows.ts";
import type { WorkflowsUrlOptions } from "./urls.ts";

export type { BearerSeen, EntraApp, FlowOAuth, FlowState, TokenRequestRecord, WorkflowsUrlOptions };

import type { BotSim, BotSimOptions } from "./bot-types.ts";

/** How the emulator answers a webhook request. Named behaviors copy answers Teams is known to give. */
export type Behavior =
  /** Legacy: 200 body "1"; Workflows: 202 empty body. Only when the payload is valid and within limits. */
  | "ok"
  /** 410: the connector was removed in Teams. */
  | "gone"
  /** 404: the channel was deleted. */
  | "channel_not_found"
  /** 400 "Bad payload received by generic incoming webhook." */
  | "bad_payload"
  /** 400 "Summary or Text is required." */
  | "summary_required"
  /** 200 whose body says "Microsoft Teams endpoint returned HTTP error 429 ..." (how connectors throttle). */
  | "throttle_body"
  /** 429 with Retry-After: 2 (seconds); on Workflows Power Automate's TooManyRequests body. */
  | "throttle_status"
  /** 413 "Microsoft Teams endpoint returned HTTP error 413 ...". */
  | "too_large"
  /** 500. */
  | "server_error"
  /** 200 whose body says "Microsoft Teams endpoint returned HTTP error 500 ...". */
  | "error_in_body_500"
  /** 302 to http://127.0.0.1:1/elsewhere (a client must not follow it). */
  | "redirect"
  /** Never answers; the socket stays open until the client gives up or the emulator closes. */
  | "hang"
  /** Destroys the socket (TCP RST) without answering. */
  | "reset"
  /** 200 with a body that is neither JSON nor a number ("<html>oops</html>"). */
  | "garbage"
  /** Any answer, optionally after a delay. */
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };

export type WebhookKind = "legacy" | "workflows";

export interface RecordedRequest {
  /** 1, 2, 3... in arrival order since start or the last reset. */
  seq: number;
  /** Date.now() when the request had fully arrived (the moment it was judged). */
  at: number;
  /** pathname + search, as sent. */
  path: string;
  kind: WebhookKind;
  method: string;
  /** The body as text; "" once dropped to bound memory (see bodyDropped). */
  body: string;
  /** Size of the body in bytes, kept even when the body is dropped. */
  bytes: number;
  /** The parsed body, or null when it is not JSON (or was dropped). */
  json: unknown | null;
  contentType: string | null;
  /** The status answered; 0 when no HTTP answer is given ("hang", "reset"). */
  answeredStatus: number;
  /** True when the request broke a rate window (it was answered as throttled, not delivered). */
  violation: boolean;
  /** True when Teams would show it in the channel: valid payload, "ok" behavior, no violation. */
  delivered: boolean;
  /** Legacy "text" (or "summary"/"title"); Workflows and card payloads: the TextBlock texts joined by "\n". */
  text: string | null;
  /** True when body, json and text were dropped because more than maxRecordedBodies were kept. */
  bodyDropped: boolean;
  /** What a Workflows flow made of the request's bearer token; null when none was sent or checked. */
  bearer: BearerSeen | null;
}

export interface RateWindow {
  limit: number;
  periodMs: number;
}

export interface Violation {
  seq: number;
  /** pathname + search of the violating request. */
  path: string;
  at: number;
  /** The first configured window the request broke. */
  window: RateWindow;
}

export interface SimStats {
  requests: number;
  delivered: number;
  violations: number;
  /** Records dropped entirely (beyond maxRecords); they still count above. */
  droppedRecords: number;
}

export interface TeamsSim {
  /** "http://127.0.0.1:PORT" */
  readonly baseUrl: string;
  readonly port: number;
  /** The Teams bot side: Bot Connector, Bot Framework OpenID metadata, and a Teams client. */
  readonly bot: BotSim;
  /** A legacy connector URL; the same channel gives the same URL, no channel gives a new one each call. */
  legacyUrl(channel?: string): string;
  /** The Entra authority (HERALD_ENTRA_AUTHORITY): `${baseUrl}/{tenantId}/oauth2/v2.0/token` issues tokens. */
  readonly authority: string;
  /**
   * A Workflows trigger URL; the same channel (and options) gives the same URL, no channel a new one
   * each call. With `oauth` the flow accepts only Entra-authenticated callers and the URL has no `sig`.
   */
  workflowsUrl(channel?: string, options?: WorkflowsUrlOptions & { oauth?: FlowOAuth }): string;
  /** Turns the flow behind a Workflows URL on or off, or deletes it (Power Automate's answers follow). */
  setFlowState(urlOrPath: string, state: FlowState): void;
  /** Registers an app in the emulated Entra ID; ids and secret are generated unless given. */
  registerEntraApp(input: { tenantId: string; clientId?: string; clientSecret?: string }): EntraApp;
  /** Token requests the Entra endpoint answered (of one client id, or all), in arrival order. */
  tokenRequests(clientId?: string): TokenRequestRecord[];
  /** Per webhook (matched by pathname). With times: only the next N requests, then back to the previous one. */
  setBehavior(urlOrPath: string, behavior: Behavior, opts?: { times?: number }): void;
  setDefaultBehavior(behavior: Behavior): void;
  /** All requests, or those of one webhook (pathname match), in arrival order. */
  requests(urlOrPath?: string): RecordedRequest[];
  violations(urlOrPath?: string): Violation[];
  stats(): SimStats;
  /** Resolves once at least `count` requests (of that webhook) were recorded; rejects on timeout (10 s). */
  waitForRequests(
    count: number,
    opts?: { urlOrPath?: string; timeoutMs?: number },
  ): Promise<RecordedRequest[]>;
  /** Forgets requests, violations, behaviors (default included), window state and token counts; turns flows on. */
  reset(): void;
  /** Closes the server and every socket, hanging ones included. */
  close(): Promise<void>;
}

export interface TeamsSimOptions {
  /** 0 = a random free port (default). */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default true. */
  enforceLegacyWindows?: boolean;
  /** Default Teams': 4/1 s, 60/30 s, 100/3600 s, 150/7200 s, 1800/86400 s. */
  legacyWindows?: RateWindow[];
  /**
   * Rate windows for Workflows URLs, answered with 429 TooManyRequests and Retry-After; default none
   * (POWER_AUTOMATE_WINDOWS is Power Automate's: more than 4 requests a second to one webhook).
   */
  workflowsWindows?: RateWindow[];
  /** Lifetime of the Entra tokens issued. Default 3599 s, as Entra's. */
  entraTokenLifetimeSeconds?: number;
  /** Default 28672 (28 KB). */
  maxPayloadBytes?: number;
  /** Bodies kept for the most recent N requests (older ones keep their metadata). Default 100,000. */
  maxRecordedBodies?: number;
  /** Records kept at all (older ones are dropped; counts in stats() stay exact). Default 1,000,000. */
  maxRecords?: number;
  /** No log line per request. Default true. */
  quiet?: boolean;
  /** The bot's registration and the Bot Connector's windows. */
  bot?: BotSimOptions;
}
