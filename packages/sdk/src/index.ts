// A typed client of Herald's public API: the activity calls (sendMessage) with binding keys, and
// the console calls with a session token. Used by the integration tests, the console and users.

export interface SendMessageResponse {
  SentMessage: boolean;
  Message: string;
  messageId: string | null;
  status: "delivered" | "queued" | "failed" | "rejected";
  /** What converting the card for the webhook left out, one entry each. */
  warnings?: Array<{ code: "action_dropped" | "image_dropped"; message: string }>;
  error?: ApiErrorBody["error"];
}

export interface ApiErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

export class HeraldError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = "HeraldError";
  }
}

export type FetchLike = (input: Request) => Response | Promise<Response>;

export interface HeraldOptions {
  baseUrl: string;
  licenseKey?: string;
  licenseSecret?: string;
  token?: string;
  /** Defaults to global fetch; tests pass the app's in-process fetch. */
  fetch?: FetchLike;
  /**
   * Retries of sendMessage after a network error or a 502/503/504 (Herald or its load balancer
   * unavailable). Safe: every attempt carries the same idempotency key. Default 2.
   */
  retries?: number;
}

export interface SendMessageOptions {
  card?: Record<string, unknown>;
  idempotencyKey?: string;
  source?: string;
  /** Seconds to wait for Teams' answer (0..30); 0 only queues. */
  wait?: number;
  /** People to @mention (at most 20): a UPN or Entra object id, and the name shown. */
  mentions?: { id: string; name: string }[];
  /** Refuse a MessageCard that cannot be converted without loss (400 card_not_convertible). */
  strictConversion?: boolean;
}

export interface Webhook {
  webhookId: string;
  instanceId: string;
  name: string;
  description: string | null;
  url: string;
  kind: "legacy" | "workflows";
  active: boolean;
  state: "active" | "paused" | "disabled" | "inactive";
  disabledReason: string | null;
  pausedUntil: string | null;
  /** Why the channel is paused (e.g. the flow is turned off); null for rate-limit pauses. */
  pausedReason: string | null;
  entraAppId: string | null;
  ratePolicy: string | null;
  warnings: { code: string; message: string }[];
  health: { lastSuccessAt: string | null; consecutiveFailures: number };
  createdAt: string;
  alertsPosted24h?: number;
  activeWorkflows?: number;
}

export interface EntraApp {
  id: string;
  instanceId: string;
  name: string;
  tenantId: string;
  clientId: string;
  audience: string;
  createdAt: string;
}

export interface BindingKey {
  id: string;
  instanceId: string;
  name: string;
  licenseKey: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ErrorLogItem {
  id: string;
  at: string;
  webhookId: string;
  instanceId: string;
  messageId: string | null;
  httpStatus: number | null;
  kind: string;
  classification: string;
  teamsText: string | null;
  action: string;
}

export interface MessageDetail {
  messageId: string;
  instanceId: string;
  webhookId: string;
  status: "queued" | "delivered" | "failed";
  statusMessage: string;
  attempts: number;
  lastHttpStatus: number | null;
  source: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  finishedAt: string | null;
}

export interface UsagePeriod {
  messagesAccepted: number;
  messagesSent: number;
  messagesFailed: number;
  messagesThrottled: number;
  webhooks: number;
  webhooksActive: number;
  webhooksAdded: number;
}

export interface Usage {
  thisMonth: UsagePeriod & { from: string; to: string };
  lastMonth: UsagePeriod & { from: string; to: string };
  total: UsagePeriod;
  quota: {
    plan: string;
    webhooks: { used: number; limit: number | null };
    messagesThisMonth: { used: number; limit: number | null; billOverage: boolean };
    trialEndsAt: string | null;
    subscriptionStatus: string;
  };
  series?: Array<{ day: string } & Omit<UsagePeriod, "webhooks" | "webhooksActive">>;
  /** With `breakdown: "webhooks"`: this month's messages per webhook, busiest first. */
  webhooks?: Array<{
    webhookId: string;
    name: string;
    deleted: boolean;
    messagesSent: number;
    messagesFailed: number;
    messagesQueued: number;
  }>;
}

export interface BillingPlan {
  name: string;
  displayName: string;
  webhookLimit: number | null;
  monthlyMessageLimit: number | null;
  billOverage: boolean;
  trialDays: number | null;
}

export interface Billing {
  /** false when the Herald has no Stripe configuration: plans are then the operator's to assign. */
  enabled: boolean;
  /** The current plan's name; planDetails has its limits. */
  plan: string;
  planDetails: BillingPlan;
  subscriptionStatus: string;
  trialEndsAt: string | null;
  currentPeriodEnd: string | null;
  paymentFailedAt: string | null;
  hasBillingAccount: boolean;
  plans: Array<BillingPlan & { current: boolean }>;
}

/** A plan, as the operator API shows it. null limits are unlimited. */
export interface Plan {
  name: string;
  displayName: string;
  webhookLimit: number | null;
  monthlyMessageLimit: number | null;
  billOverage: boolean;
  trialDays: number | null;
  requestsPerSecond: number | null;
  stripePriceId: string | null;
  stripeMeteredPriceId: string | null;
}

/**
 * PUT merges: an omitted setting keeps its current value (on a new plan: the name as display
 * name, no limits, no overage, no trial, no throttle, no prices); null clears one.
 */
export type PlanInput = Partial<Omit<Plan, "name">>;

export interface Tenant {
  id: string;
  name: string;
  plan: string;
  subscriptionStatus: string;
  trialEndsAt: string | null;
  createdAt: string;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

export class Herald {
  private readonly baseUrl: string;
  private readonly doFetch: FetchLike;
  private token: string | undefined;

  constructor(private readonly options: HeraldOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, "");
    this.doFetch = options.fetch ?? ((request) => fetch(request));
    this.token = options.token;
  }

  /** A client with the same transport and other credentials. */
  with(options: Partial<HeraldOptions>): Herald {
    return new Herald({ ...this.options, token: this.token, ...options });
  }

  // ---- activity API ----

  /** sendMessage(webhookId, textMessage): always resolves to a SendMessageResponse, rejections included. */
  async sendMessage(webhookId: string, textMessage: string | undefined, options: SendMessageOptions = {}) {
    const idempotencyKey = options.idempotencyKey ?? `sdk-${crypto.randomUUID()}`;
    const body = {
      webhookId,
      textMessage,
      card: options.card,
      idempotencyKey,
      source: options.source,
      mentions: options.mentions,
      strictConversion: options.strictConversion,
    };
    const query = options.wait === undefined ? "" : `?wait=${options.wait}`;
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.raw("POST", `/v1/messages${query}`, body, this.licenseHeaders());
        if (RETRYABLE_STATUS.has(res.status) && attempt < retries) {
          await sleep(backoff(attempt, res.headers.get("retry-after")));
          continue;
        }
        return { httpStatus: res.status, ...((await res.json()) as SendMessageResponse) };
      } catch (error) {
        if (attempt >= retries || error instanceof HeraldError) throw error;
        await sleep(backoff(attempt, null));
      }
    }
  }

  async getMessage(messageId: string) {
    const res = await this.raw("GET", path`/v1/messages/${messageId}`, undefined, this.licenseHeaders());
    return { httpStatus: res.status, ...((await res.json()) as SendMessageResponse) };
  }

  async validateLicense(licenseKey = this.options.licenseKey, licenseSecret = this.options.licenseSecret) {
    const res = await this.raw("POST", "/v1/licenses/validate", { licenseKey, licenseSecret });
    return {
      httpStatus: res.status,
      ...((await res.json()) as Record<string, unknown> & { valid: boolean }),
    };
  }

  // ---- console API ----

  async signup(input: { email: string; password: string; organization: string }) {
    const result = await this.json<{ token: string; tenantId: string; instanceId: string }>(
      "POST",
      "/v1/auth/signup",
      input,
    );
    this.token = result.token;
    return result;
  }

  async login(input: { email: string; password: string }) {
    const result = await this.json<{ token: string }>("POST", "/v1/auth/login", input);
    this.token = result.token;
    return result;
  }

  get sessionToken(): string | undefined {
    return this.token;
  }

  listInstances() {
    return this.json<{ items: Array<{ id: string; name: string; createdAt: string }> }>(
      "GET",
      "/v1/instances",
    );
  }

  createInstance(name: string) {
    return this.json<{ id: string; name: string; createdAt: string }>("POST", "/v1/instances", { name });
  }

  async renameInstance(instanceId: string, name: string) {
    return this.json<{ id: string; name: string; createdAt: string }>(
      "PATCH",
      path`/v1/instances/${instanceId}`,
      { name },
    );
  }

  async createBindingKey(instanceId: string, name: string) {
    return this.json<BindingKey & { licenseSecret: string }>(
      "POST",
      path`/v1/instances/${instanceId}/binding-keys`,
      { name },
    );
  }

  async listBindingKeys(instanceId: string) {
    return this.json<{ items: BindingKey[] }>("GET", path`/v1/instances/${instanceId}/binding-keys`);
  }

  async revokeBindingKey(instanceId: string, bindingKeyId: string) {
    return this.json<BindingKey>("DELETE", path`/v1/instances/${instanceId}/binding-keys/${bindingKeyId}`);
  }

  async createWebhook(
    instanceId: string,
    input: {
      name: string;
      url: string;
      description?: string;
      entraAppId?: string | null;
      ratePolicy?: string | null;
    },
  ) {
    return this.json<Webhook>("POST", path`/v1/instances/${instanceId}/webhooks`, input);
  }

  async listWebhooks(instanceId: string) {
    return this.json<{ items: Webhook[] }>("GET", path`/v1/instances/${instanceId}/webhooks`);
  }

  async getWebhook(webhookId: string) {
    return this.json<Webhook>("GET", path`/v1/webhooks/${webhookId}`);
  }

  async updateWebhook(
    webhookId: string,
    input: {
      name?: string;
      url?: string;
      description?: string | null;
      active?: boolean;
      entraAppId?: string | null;
      ratePolicy?: string | null;
    },
  ) {
    return this.json<Webhook>("PATCH", path`/v1/webhooks/${webhookId}`, input);
  }

  async createEntraApp(
    instanceId: string,
    input: { name: string; tenantId: string; clientId: string; clientSecret: string; audience?: string },
  ): Promise<EntraApp> {
    return this.json<EntraApp>("POST", path`/v1/instances/${instanceId}/entra-apps`, input);
  }

  async listEntraApps(instanceId: string): Promise<EntraApp[]> {
    const page = await this.json<{ items: EntraApp[] }>("GET", path`/v1/instances/${instanceId}/entra-apps`);
    return page.items;
  }

  async deleteEntraApp(entraAppId: string): Promise<void> {
    await this.json<null>("DELETE", path`/v1/entra-apps/${entraAppId}`);
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    await this.json<null>("DELETE", path`/v1/webhooks/${webhookId}`);
  }

  async testWebhook(webhookId: string, textMessage?: string) {
    return this.json<SendMessageResponse & { httpStatus: number | null }>(
      "POST",
      path`/v1/webhooks/${webhookId}/test`,
      {
        textMessage,
      },
    );
  }

  async webhookErrors(
    webhookId: string,
    query: { limit?: number; before?: string; classification?: string } = {},
  ) {
    return this.json<{ items: ErrorLogItem[]; nextCursor: string | null }>(
      "GET",
      `${path`/v1/webhooks/${webhookId}/errors`}${qs(query)}`,
    );
  }

  async instanceErrors(
    instanceId: string,
    query: {
      limit?: number;
      before?: string;
      classification?: string;
      webhookId?: string;
      messageId?: string;
    } = {},
  ) {
    return this.json<{ items: ErrorLogItem[]; nextCursor: string | null }>(
      "GET",
      `${path`/v1/instances/${instanceId}/errors`}${qs(query)}`,
    );
  }

  /** One message of an instance: its delivery state and attempts. */
  instanceMessage(instanceId: string, messageId: string) {
    return this.json<MessageDetail>(
      "GET",
      `/v1/instances/${instanceId}/messages/${encodeURIComponent(messageId)}`,
    );
  }

  usage(query: { instanceId?: string; series?: "daily"; breakdown?: "webhooks" } = {}) {
    return this.json<Usage>("GET", `/v1/usage${qs(query)}`);
  }

  billing() {
    return this.json<Billing>("GET", "/v1/billing");
  }

  /** A Stripe Checkout for a plan; send the browser to `url`. */
  startCheckout(plan: string) {
    return this.json<{ url: string; sessionId: string }>("POST", "/v1/billing/checkout", { plan });
  }

  openBillingPortal() {
    return this.json<{ url: string }>("POST", "/v1/billing/portal");
  }

  // ---- operator API: a client constructed with token = HERALD_ADMIN_TOKEN ----

  listPlans() {
    return this.json<{ items: Plan[] }>("GET", "/admin/v1/plans");
  }

  async putPlan(name: string, input: PlanInput) {
    return this.json<Plan>("PUT", path`/admin/v1/plans/${name}`, input);
  }

  listTenants(query: { limit?: number; after?: string } = {}) {
    return this.json<{ items: Tenant[] }>("GET", `/admin/v1/tenants${qs(query)}`);
  }

  async setTenantPlan(tenantId: string, plan: string): Promise<void> {
    await this.json<null>("PUT", path`/admin/v1/tenants/${tenantId}/plan`, { plan });
  }

  // ---- operations ----

  /** GET /readyz: whether Herald can serve (database reachable, migrations applied). Never throws on 503. */
  async ready(): Promise<{ ready: boolean; status: string; reason?: string; database?: string }> {
    const res = await this.raw("GET", "/readyz");
    const body = (await res.json()) as { status: string; reason?: string; database?: string };
    return { ready: res.ok, ...body };
  }

  // ---- transport ----

  /** Sends a request and returns the raw Response (no error mapping). */
  async raw(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const all: Record<string, string> = { accept: "application/json", ...headers };
    if (this.token && !("authorization" in all) && !("x-license-key" in all))
      all.authorization = `Bearer ${this.token}`;
    if (body !== undefined) all["content-type"] = "application/json";
    const request = new Request(`${this.baseUrl}${path}`, {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return this.doFetch(request);
  }

  /** Sends a request and returns its JSON body; non-2xx answers throw HeraldError with the error code. */
  async json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const res = await this.raw(method, path, body, headers);
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const error = (parsed as ApiErrorBody | null)?.error;
      throw new HeraldError(
        res.status,
        error?.code ?? "http_error",
        error?.message ?? `HTTP ${res.status}`,
        parsed,
        res.headers.get("x-request-id") ?? undefined,
      );
    }
    return parsed as T;
  }

  private licenseHeaders(): Record<string, string> {
    const { licenseKey, licenseSecret } = this.options;
    if (!licenseKey || !licenseSecret) return {};
    return { "x-license-key": licenseKey, "x-license-secret": licenseSecret };
  }
}

/**
 * A request path whose parameters are each one percent-encoded segment, so that an id holding "/",
 * "%2F", "?" or "#" names a resource instead of reaching another route. "", "." and ".." cannot be
 * sent as a segment at all (URL parsers resolve "%2E%2E" as ".."); no Herald id is one of them, so
 * the call fails as Herald answers for any unknown id, 404 not_found, without a request.
 */
function path(strings: TemplateStringsArray, ...params: string[]): string {
  let out = strings[0] ?? "";
  params.forEach((param, i) => {
    if (param === "" || param === "." || param === "..") {
      const message = `No resource with id "${param}": an id is never "", "." or "..".`;
      throw new HeraldError(404, "not_found", message, { error: { code: "not_found", message } }, undefined);
    }
    out += encodeURIComponent(param) + (strings[i + 1] ?? "");
  });
  return out;
}

function qs(query: Record<string, string | number | undefined>): string {
  const entries = Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : "";
}

function backoff(attempt: number, retryAfter: string | null): number {
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds > 0) return Math.min(seconds, 10) * 1000;
  return Math.min(200 * 2 ** attempt, 2000) * (0.5 + Math.random() / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
