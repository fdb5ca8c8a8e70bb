// GET /openapi/swagger2.json: the activity API as Swagger 2.0, for Power Platform custom connectors.
// Generated from the same 3.1 document that /openapi.json serves, so the two cannot drift apart.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
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

export function swagger2Routes(ctx: AppContext, app: OpenAPIHono<AppEnv>) {
  const routes = new Hono<AppEnv>();
  let document: JsonObject | undefined;
  // Built on first use: by then every route is registered on the app.
  const openapi31 = (): JsonObject => {
    document ??= JSON.parse(
      JSON.stringify(
        app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Herald", version: "0.1.0" } }),
      ),
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
      securityNames: { LicenseHeaders: "LicenseKey" },
      securityCompanions: {
        LicenseHeaders: {
          LicenseSecret: {
            type: "apiKey",
            in: "header",
            name: "X-License-Secret",
            description: "The LicenseSecret of the binding key, shown once when the key was created.",
          },
        },
      },
    });
    return c.json(swagger);
  });
  return routes;
}
