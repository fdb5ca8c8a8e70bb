// The emulator's HTTP server: the handful of Stripe v1 endpoints Herald calls, answered in Stripe's
// shapes (form-encoded requests, JSON objects and error bodies, Idempotency-Key replays), so the
// real stripe SDK can be pointed at it through STRIPE_API_BASE.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildEvent, signPayload, simId, subscriptionObject } from "./events.ts";
import { type FormObject, list, obj, parseForm, str, strings } from "./form.ts";
import type {
  RecordedCall,
  SimCheckoutSession,
  SimCustomer,
  SimEndpoint,
  SimMeterEvent,
  StripeSim,
  StripeSimOptions,
} from "./types.ts";

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Fault {
  times: number;
  when: "before" | "after";
}

const ROUTES: { method: string; pattern: RegExp; endpoint: SimEndpoint }[] = [
  { method: "POST", pattern: /^\/v1\/customers$/, endpoint: "customers" },
  { method: "POST", pattern: /^\/v1\/checkout\/sessions$/, endpoint: "checkout_sessions" },
  { method: "POST", pattern: /^\/v1\/billing_portal\/sessions$/, endpoint: "portal_sessions" },
  { method: "POST", pattern: /^\/v1\/billing\/meter_events$/, endpoint: "meter_events" },
];

const stripeError = (status: number, type: string, message: string, extra: Record<string, string> = {}) => ({
  status,
  body: { error: { type, message, ...extra } },
});

export async function startStripeSim(options: StripeSimOptions = {}): Promise<StripeSim> {
  const secretKey = options.secretKey ?? "sk_test_herald_sim";
  const webhookSecret = options.webhookSecret ?? "whsec_herald_sim";
  const customers = new Map<string, SimCustomer>();
  const sessions = new Map<string, SimCheckoutSession>();
  const portals: { id: string; url: string; customer: string; returnUrl: string | null }[] = [];
  const meterEvents = new Map<string, SimMeterEvent>();
  const idempotent = new Map<string, Answer>();
  const faults = new Map<SimEndpoint, Fault>();
  const calls: RecordedCall[] = [];
  let baseUrl = "";

  const now = () => Math.floor(Date.now() / 1000);

  const handlers: Record<SimEndpoint, (params: FormObject) => Answer> = {
    customers(params) {
      const customer: SimCustomer = {
        id: simId("cus"),
        email: str(params.email) ?? null,
        name: str(params.name) ?? null,
        metadata: strings(params.metadata),
      };
      customers.set(customer.id, customer);
      return {
        status: 200,
        body: { object: "customer", created: now(), livemode: false, ...customer },
      };
    },
    checkout_sessions(params) {
      const customer = str(params.customer) ?? null;
      if (customer && !customers.has(customer)) {
        return stripeError(400, "invalid_request_error", `No such customer: '${customer}'`, {
          code: "resource_missing",
          param: "customer",
        });
      }
      const prices = list(params.line_items).map((item) => str(obj(item).price) ?? "");
      if (prices.length === 0 || prices.some((p) => p === "")) {
        return stripeError(400, "invalid_request_error", "Each line item needs a price.", {
          param: "line_items",
        });
      }
      const subscriptionData = obj(params.subscription_data);
      const trialDays = str(subscriptionData.trial_period_days);
      const id = simId("cs_test");
      const session: SimCheckoutSession = {
        id,
        url: `${baseUrl}/checkout/${id}`,
        customer,
        mode: str(params.mode) ?? "payment",
        clientReferenceId: str(params.client_reference_id) ?? null,
        metadata: strings(params.metadata),
        prices,
        trialPeriodDays: trialDays === undefined ? null : Number(trialDays),
        paymentMethodCollection: str(params.payment_method_collection) ?? null,
        subscriptionMetadata: strings(subscriptionData.metadata),
        successUrl: str(params.success_url) ?? null,
        cancelUrl: str(params.cancel_url) ?? null,
        status: "open",
        subscription: null,
      };
      sessions.set(id, session);
      return { status: 200, body: sessionObject(session) };
    },
    portal_sessions(params) {
      const customer = str(params.customer) ?? "";
      if (!customers.has(customer)) {
        return stripeError(400, "invalid_request_error", `No such customer: '${customer}'`, {
          code: "resource_missing",
          param: "customer",
        });
      }
      const id = simId("bps");
      const portal = {
        id,
        url: `${baseUrl}/portal/${id}`,
        customer,
        returnUrl: str(params.return_url) ?? null,
      };
      portals.push(portal);
      return {
        status: 200,
        body: {
          id,
          object: "billing_portal.session",
          created: now(),
          customer,
          livemode: false,
          return_url: portal.returnUrl,
          url: portal.url,
        },
      };
    },
    meter_events(params) {
      const eventName = str(params.event_name);
      const payload = strings(params.payload);
      const customer = payload.stripe_customer_id;
      const value = Number(payload.value ?? "");
      if (!eventName || !customer || !Number.isFinite(value)) {
        return stripeError(
          400,
          "invalid_request_error",
          "A meter event needs event_name, payload[stripe_customer_id] and a numeric payload[value].",
        );
      }
      const identifier = str(params.identifier) ?? simId("mev");
      // Stripe enforces identifier uniqueness and refuses the repeat: this is what makes a retried
      // report safe, so the emulator never counts an identifier twice.
      if (meterEvents.has(identifier)) {
        return {
          ...stripeError(
            400,
            "invalid_request_error",
            `An event already exists with identifier ${identifier}.`,
          ),
          headers: { "stripe-should-retry": "false" },
        };
      }
      const timestamp = Number(str(params.timestamp) ?? now());
      meterEvents.set(identifier, { identifier, eventName, customer, value, timestamp });
      return {
        status: 200,
        body: {
          object: "billing.meter_event",
          created: now(),
          event_name: eventName,
          identifier,
          livemode: false,
          payload,
          timestamp,
        },
      };
    },
  };

  function sessionObject(session: SimCheckoutSession) {
    return {
      id: session.id,
      object: "checkout.session",
      client_reference_id: session.clientReferenceId,
      customer: session.customer,
      livemode: false,
      metadata: session.metadata,
      mode: session.mode,
      payment_method_collection: session.paymentMethodCollection,
      payment_status: session.status === "complete" ? "paid" : "unpaid",
      status: session.status,
      subscription: session.subscription,
      success_url: session.successUrl,
      cancel_url: session.cancelUrl,
      url: session.status === "open" ? session.url : null,
    };
  }

  function answerApi(method: string, path: string, req: IncomingMessage, body: string): Answer {
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${secretKey}`) {
      return stripeError(401, "invalid_request_error", "Invalid API Key provided.");
    }
    const route = ROUTES.find((r) => r.method === method && r.pattern.test(path));
    const params = parseForm(body);
    const key = header(req, "idempotency-key");
    const record = (answer: Answer) => {
      calls.push({
        method,
        path,
        endpoint: route?.endpoint ?? null,
        status: answer.status,
        idempotencyKey: key,
        params,
      });
      return answer;
    };
    if (!route) {
      return record(
        stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`),
      );
    }
    const replay = key ? idempotent.get(`${route.endpoint}:${key}`) : undefined;
    if (replay) return record({ ...replay, headers: { ...replay.headers, "idempotent-replayed": "true" } });
    const fault = faults.get(route.endpoint);
    if (fault && fault.times > 0) {
      fault.times -= 1;
      if (fault.when === "after") handlers[route.endpoint](params);
      // A lost answer is not kept for replay: the retry is judged afresh, as after a dropped connection.
      return record(stripeError(500, "api_error", "Injected failure (stripe-sim)."));
    }
    const answer = handlers[route.endpoint](params);
    if (key && answer.status < 500) idempotent.set(`${route.endpoint}:${key}`, answer);
    return record(answer);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => {});
    req.on("end", () => {
      const method = req.method ?? "GET";
      const path = new URL(req.url ?? "/", "http://stripe-sim").pathname;
      if (method === "GET" && /^\/(checkout|portal)\/[\w-]+$/.test(path)) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(`<!doctype html><title>stripe-sim</title><p>Stripe emulator page ${escapeHtml(path)}</p>`);
        return;
      }
      const answer = answerApi(method, path, req, Buffer.concat(chunks).toString("utf8"));
      res.writeHead(answer.status, {
        "content-type": "application/json",
        "request-id": simId("req"),
        ...answer.headers,
      });
      res.end(JSON.stringify(answer.body));
    });
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? "127.0.0.1"}:${address.port}`;

  return {
    url: baseUrl,
    secretKey,
    webhookSecret,
    customers: () => [...customers.values()],
    checkoutSessions: () => [...sessions.values()],
    portalSessions: () => [...portals],
    meterEvents: () => [...meterEvents.values()],
    meterTotal: (customer) =>
      [...meterEvents.values()]
        .filter((e) => customer === undefined || e.customer === customer)
        .reduce((sum, e) => sum + e.value, 0),
    calls: () => [...calls],
    failNext(endpoint, times = 1, when = "before") {
      faults.set(endpoint, { times, when });
    },
    completeCheckout(sessionId, completeOptions = {}) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`stripe-sim: no checkout session ${sessionId}`);
      if (!session.customer) throw new Error(`stripe-sim: checkout session ${sessionId} has no customer`);
      const created = completeOptions.created ?? new Date();
      const trialEnd =
        session.trialPeriodDays === null
          ? null
          : Math.floor(created.getTime() / 1000) + session.trialPeriodDays * 86_400;
      const subscription = subscriptionObject({
        customer: session.customer,
        prices: session.prices,
        status: trialEnd === null ? "active" : "trialing",
        currentPeriodStart: created,
        ...(trialEnd === null ? {} : { currentPeriodEnd: trialEnd }),
        trialEnd,
        metadata: session.subscriptionMetadata,
      });
      session.status = "complete";
      session.subscription = String(subscription.id);
      return [
        buildEvent("checkout.session.completed", sessionObject(session), { created }),
        buildEvent("customer.subscription.created", subscription, { created }),
      ];
    },
    event: (type, object, eventOptions) => buildEvent(type, object, eventOptions),
    subscription: (input) => subscriptionObject(input),
    sign: (event, signOptions = {}) =>
      signPayload(event, signOptions.secret ?? webhookSecret, {
        ...(signOptions.timestamp === undefined ? {} : { timestamp: signOptions.timestamp }),
      }),
    reset() {
      customers.clear();
      sessions.clear();
      portals.length = 0;
      meterEvents.clear();
      idempotent.clear();
      faults.clear();
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
