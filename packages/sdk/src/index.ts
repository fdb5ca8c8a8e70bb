// A typed client of Herald's public API: the activity calls (sendMessage) with binding keys, and
// the console calls with a session token. Used by the integration tests, the console and users.

import type {
  Billing,
  BindingKey,
  BindingKeyList,
  CheckoutSession,
  CreatedBindingKey,
  CreateEntraAppRequest,
  CreateWebhookRequest,
  EntraApp,
  EntraAppList,
  ErrorBody,
  ErrorLogPage,
  ErrorLogQuery,
  Instance,
  InstanceList,
  LicenseInvalid,
  LicenseValid,
  LinkedTeam,
  LinkedTeamList,
  LoginRequest,
  LoginResponse,
  MessageDetail,
  Plan,
  PlanChanges,
  PlanList,
  PortalSession,
  Readiness,
  RejectedMessageResponse,
  SendMessageResponse,
  SignupRequest,
  SignupResponse,
  TeamLink,
  TenantList,
  TenantsQuery,
  TestWebhookResponse,
  UpdateMessageRequest,
  UpdateWebhookRequest,
  Usage,
  UsageQuery,
  Webhook,
  WebhookList,
} from "@herald/contract";

export type {
  Billing,
  BindingKey,
  EntraApp,
  ErrorLogItem,
  Instance,
  LinkedTeam,
  MessageDetail,
  Plan,
  PlanChanges,
  SendMessageResponse,
  TeamLink,
  Tenant,
  Usage,
  UsagePeriod,
  Webhook,
} from "@herald/contract";

/** Every sendMessage answer: a SendMessageResponse, with the error beside it when it was rejected. */
export type SendMessageAnswer = SendMessageResponse & { error?: RejectedMessageResponse["error"] };
export type ApiErrorBody = ErrorBody;
/** PUT merges: an omitted setting keeps its current value; null clears one. */
export type PlanInput = PlanChanges;

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
  /** Refuse a MessageCard that cannot be converted without loss (400 card_not_convertible). */
  strictConversion?: boolean;
  /** People to @mention (at most 20): a UPN or Entra object id, and the name shown. */
  mentions?: { id: string; name: string }[];
  /** Bot channels: the messageId of an earlier message to the same channel, to reply in its thread. */
  replyTo?: string;
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
      replyTo: options.replyTo,
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
        return { httpStatus: res.status, ...((await res.json()) as SendMessageAnswer) };
      } catch (error) {
        if (attempt >= retries || error instanceof HeraldError) throw error;
        await sleep(backoff(attempt, null));
      }
    }
  }

  async getMessage(messageId: string) {
    const res = await this.raw("GET", path`/v1/messages/${messageId}`, undefined, this.licenseHeaders());
    return { httpStatus: res.status, ...((await res.json()) as SendMessageAnswer) };
  }

  /** Bot channels: changes a posted message (queued behind earlier work on its channel). */
  updateMessage(messageId: string, input: UpdateMessageRequest, options: { wait?: number } = {}) {
    return this.changeMessage("PATCH", messageId, input, options.wait);
  }

  /** Bot channels: deletes a posted message. */
  deleteMessage(messageId: string, options: { wait?: number } = {}) {
    return this.changeMessage("DELETE", messageId, undefined, options.wait);
  }

  /** An update or delete of a posted bot message: answered like sendMessage, with its HTTP status. */
  private async changeMessage(
    method: "PATCH" | "DELETE",
    messageId: string,
    input: UpdateMessageRequest | undefined,
    wait: number | undefined,
  ) {
    const target = `${path`/v1/messages/${messageId}`}${wait === undefined ? "" : `?wait=${wait}`}`;
    const res = await this.raw(method, target, input, this.licenseHeaders());
    return { httpStatus: res.status, ...((await res.json()) as SendMessageAnswer) };
  }

  async validateLicense(licenseKey = this.options.licenseKey, licenseSecret = this.options.licenseSecret) {
    const res = await this.raw("POST", "/v1/licenses/validate", { licenseKey, licenseSecret });
    return {
      httpStatus: res.status,
      ...((await res.json()) as LicenseValid | LicenseInvalid),
    };
  }

  // ---- console API ----

  async signup(input: SignupRequest) {
    const result = await this.json<SignupResponse>("POST", "/v1/auth/signup", input);
    this.token = result.token;
    return result;
  }

  async login(input: LoginRequest) {
    const result = await this.json<LoginResponse>("POST", "/v1/auth/login", input);
    this.token = result.token;
    return result;
  }

  get sessionToken(): string | undefined {
    return this.token;
  }

  listInstances() {
    return this.json<InstanceList>("GET", "/v1/instances");
  }

  createInstance(name: string) {
    return this.json<Instance>("POST", "/v1/instances", { name });
  }

  async renameInstance(instanceId: string, name: string) {
    return this.json<Instance>("PATCH", path`/v1/instances/${instanceId}`, { name });
  }

  async createBindingKey(instanceId: string, name: string) {
    return this.json<CreatedBindingKey>("POST", path`/v1/instances/${instanceId}/binding-keys`, { name });
  }

  async listBindingKeys(instanceId: string) {
    return this.json<BindingKeyList>("GET", path`/v1/instances/${instanceId}/binding-keys`);
  }

  async revokeBindingKey(instanceId: string, bindingKeyId: string) {
    return this.json<BindingKey>("DELETE", path`/v1/instances/${instanceId}/binding-keys/${bindingKeyId}`);
  }

  /** A single-use code (30 minutes) a team member posts as `@Herald link <code>`. */
  async createTeamLink(instanceId: string) {
    return this.json<TeamLink>("POST", path`/v1/instances/${instanceId}/teams-links`);
  }

  async listTeams(instanceId: string): Promise<LinkedTeam[]> {
    return (await this.json<LinkedTeamList>("GET", path`/v1/instances/${instanceId}/teams`)).items;
  }

  async createWebhook(instanceId: string, input: CreateWebhookRequest) {
    return this.json<Webhook>("POST", path`/v1/instances/${instanceId}/webhooks`, input);
  }

  async listWebhooks(instanceId: string) {
    return this.json<WebhookList>("GET", path`/v1/instances/${instanceId}/webhooks`);
  }

  async getWebhook(webhookId: string) {
    return this.json<Webhook>("GET", path`/v1/webhooks/${webhookId}`);
  }

  async updateWebhook(webhookId: string, input: UpdateWebhookRequest) {
    return this.json<Webhook>("PATCH", path`/v1/webhooks/${webhookId}`, input);
  }

  async createEntraApp(instanceId: string, input: CreateEntraAppRequest) {
    return this.json<EntraApp>("POST", path`/v1/instances/${instanceId}/entra-apps`, input);
  }

  async listEntraApps(instanceId: string): Promise<EntraApp[]> {
    return (await this.json<EntraAppList>("GET", path`/v1/instances/${instanceId}/entra-apps`)).items;
  }

  async deleteEntraApp(entraAppId: string): Promise<void> {
    await this.json<null>("DELETE", path`/v1/entra-apps/${entraAppId}`);
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    await this.json<null>("DELETE", path`/v1/webhooks/${webhookId}`);
  }

  /** Posts Herald's fixed test text (the route takes no text of the caller's). */
  async testWebhook(webhookId: string) {
    return this.json<TestWebhookResponse>("POST", path`/v1/webhooks/${webhookId}/test`, {});
  }

  async webhookErrors(webhookId: string, query: Omit<ErrorLogQuery, "webhookId"> = {}) {
    return this.json<ErrorLogPage>("GET", `${path`/v1/webhooks/${webhookId}/errors`}${qs(query)}`);
  }

  async instanceErrors(instanceId: string, query: ErrorLogQuery = {}) {
    return this.json<ErrorLogPage>("GET", `${path`/v1/instances/${instanceId}/errors`}${qs(query)}`);
  }

  /** One message of an instance: its delivery state and attempts. */
  async instanceMessage(instanceId: string, messageId: string) {
    return this.json<MessageDetail>("GET", path`/v1/instances/${instanceId}/messages/${messageId}`);
  }

  usage(query: UsageQuery = {}) {
    return this.json<Usage>("GET", `/v1/usage${qs(query)}`);
  }

  billing() {
    return this.json<Billing>("GET", "/v1/billing");
  }

  /** A Stripe Checkout for a plan; send the browser to `url`. */
  startCheckout(plan: string) {
    return this.json<CheckoutSession>("POST", "/v1/billing/checkout", { plan });
  }

  openBillingPortal() {
    return this.json<PortalSession>("POST", "/v1/billing/portal");
  }

  // ---- operator API: a client constructed with token = HERALD_ADMIN_TOKEN ----

  listPlans() {
    return this.json<PlanList>("GET", "/admin/v1/plans");
  }

  async putPlan(name: string, input: PlanInput) {
    return this.json<Plan>("PUT", path`/admin/v1/plans/${name}`, input);
  }

  listTenants(query: TenantsQuery = {}) {
    return this.json<TenantList>("GET", `/admin/v1/tenants${qs(query)}`);
  }

  async setTenantPlan(tenantId: string, plan: string): Promise<void> {
    await this.json<null>("PUT", path`/admin/v1/tenants/${tenantId}/plan`, { plan });
  }

  // ---- operations ----

  /** GET /readyz: whether Herald can serve (database reachable, migrations applied). Never throws on 503. */
  async ready(): Promise<Readiness & { ready: boolean }> {
    const res = await this.raw("GET", "/readyz");
    const body = (await res.json()) as Readiness;
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
