// GET /openapi/swagger2.json: the activity API as Swagger 2.0, for Power Platform custom connectors.
// Generated from the same 3.1 document that /openapi.json serves, so the two cannot drift apart.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { openApiHeader } from "../openapi/header.ts";
import { type ConnectorAnnotations, withConnectorAnnotations } from "../openapi/power-platform.ts";
import { type JsonObject, toSwagger2 } from "../openapi/swagger2.ts";

export const ACTIVITY_OPERATIONS = [
  { method: "post", path: "/v1/messages" },
  { method: "get", path: "/v1/messages/{messageId}" },
  { method: "post", path: "/v1/licenses/validate" },
] as const;

const CONNECTOR_INFO: JsonObject = {
  title: "Herald",
  description:
    "Send messages to Microsoft Teams channels through Herald: sendMessage(webhookId, textMessage) with a binding key (LicenseKey and LicenseSecret), then follow the message's delivery.",
};

/** How the connector designer shows the actions and their fields. */
const CONNECTOR_LABELS: Omit<ConnectorAnnotations, "website" | "privacyPolicy"> = {
  categories: "Communication;IT Operations",
  operations: { sendMessage: "important", getMessage: "advanced", validateLicense: "advanced" },
  fields: {
    webhookId: { summary: "Webhook ID", visibility: "important" },
    textMessage: { summary: "Text message", visibility: "important" },
    card: { summary: "Card (MessageCard or Adaptive Card)", visibility: "advanced" },
    source: { summary: "Source (the flow's name)", visibility: "advanced" },
    idempotencyKey: { summary: "Idempotency key", visibility: "advanced" },
    "idempotency-key": { summary: "Idempotency key (header)", visibility: "internal" },
    strictConversion: { summary: "Refuse lossy card conversion", visibility: "advanced" },
    mentions: { summary: "People to mention", visibility: "advanced" },
    id: { summary: "UPN or Entra object ID" },
    name: { summary: "Name shown" },
    wait: { summary: "Seconds to wait for Teams", visibility: "advanced" },
    messageId: { summary: "Message ID" },
    licenseKey: { summary: "LicenseKey" },
    licenseSecret: { summary: "LicenseSecret" },
    SentMessage: { summary: "Sent" },
    Message: { summary: "Message" },
    status: { summary: "Status" },
    warnings: { summary: "Warnings" },
    valid: { summary: "Valid" },
    reason: { summary: "Reason" },
  },
};

export function swagger2Routes(ctx: AppContext, app: OpenAPIHono<AppEnv>) {
  const routes = new Hono<AppEnv>();
  let document: JsonObject | undefined;
  // Built on first use: by then every route is registered on the app.
  const openapi31 = (): JsonObject => {
    document ??= JSON.parse(
      JSON.stringify(app.getOpenAPI31Document(openApiHeader(ctx.config.publicUrl))),
    ) as JsonObject;
    return document;
  };

  routes.get("/openapi/swagger2.json", (c) => {
    const origin = new URL(ctx.config.publicUrl ?? c.req.url);
    const forwardedProto = ctx.config.publicUrl ? undefined : c.req.header("x-forwarded-proto");
    const scheme = (forwardedProto ?? origin.protocol.replace(":", "")).split(",")[0]?.trim() || "https";
    const swagger = toSwagger2(openapi31(), {
      operations: ACTIVITY_OPERATIONS,
      host: origin.host,
      basePath: ctx.config.publicUrl ? origin.pathname.replace(/\/$/, "") || "/" : "/",
      schemes: [scheme],
      info: CONNECTOR_INFO,
      // The connector's one authentication type: Basic, user name LicenseKey, password LicenseSecret.
      keepSecurity: ["LicenseBasic"],
    });
    // The address Power Platform reaches: the scheme and host the document names.
    const site = `${scheme}://${origin.host}${ctx.config.publicUrl ? origin.pathname.replace(/\/$/, "") : ""}`;
    return c.json(
      withConnectorAnnotations(swagger, {
        ...CONNECTOR_LABELS,
        website: site,
        privacyPolicy: `${site}/docs`,
      }),
    );
  });
  return routes;
}
