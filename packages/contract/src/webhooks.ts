// Webhooks (channels): registration, edits, the connection test and the error log.
import { z } from "@hono/zod-openapi";
import { SendMessageResponse } from "./activity.ts";
import { Id, itemsOf } from "./common.ts";

export const WebhookParams = z.object({ webhookId: Id });

const WebhookUrl = z
  .string()
  .min(1)
  .max(2048)
  .openapi({ example: "https://contoso.webhook.office.com/webhookb2/…" });
const Description = z.string().max(1000);
const EntraAppId = z.string().min(1).max(64).nullable().openapi({
  description: "The Entra app whose token is sent to a flow restricted to a tenant's users; null: none.",
});
const RatePolicyText = z.string().trim().min(1).max(200).nullable().openapi({
  description:
    "This webhook's own rate policy (\"2/1s,100/60s\"), overriding its kind's default; null: the default.",
});

export const TeamsChannel = z
  .object({ teamId: z.string().min(1).max(200), channelId: z.string().min(1).max(200) })
  .strict()
  .openapi("TeamsChannel", {
    description: "A channel of a team linked to the instance, reached through Herald's Teams bot.",
  });
export type TeamsChannel = z.infer<typeof TeamsChannel>;

export const CreateWebhookRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    url: WebhookUrl.optional(),
    teamsChannel: TeamsChannel.optional().openapi({
      description: "Instead of url: a bot channel (kind bot), which can reply in threads, edit and delete.",
    }),
    description: Description.optional(),
    entraAppId: EntraAppId.optional(),
    ratePolicy: RatePolicyText.optional(),
  })
  .refine((b) => (b.url === undefined) !== (b.teamsChannel === undefined), {
    message: "give either url (a Teams webhook URL) or teamsChannel {teamId, channelId}, not both",
    path: ["url"],
  });
export type CreateWebhookRequest = z.input<typeof CreateWebhookRequest>;

export const UpdateWebhookRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    url: WebhookUrl.optional(),
    description: Description.nullable().optional(),
    active: z.boolean().optional(),
    entraAppId: EntraAppId.optional(),
    ratePolicy: RatePolicyText.optional(),
  })
  .strict();
export type UpdateWebhookRequest = z.input<typeof UpdateWebhookRequest>;

export const Webhook = z
  .object({
    webhookId: z.string(),
    instanceId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    url: z
      .string()
      .openapi({ description: "Masked: the URL embeds credentials and is never shown in full again." }),
    kind: z.enum(["legacy", "workflows", "bot"]),
    teamsChannel: TeamsChannel.nullable().openapi({
      description:
        "Bot webhooks: the Teams channel Herald's bot posts to (they have no URL); null otherwise.",
    }),
    active: z.boolean(),
    state: z.enum(["active", "paused", "disabled", "inactive"]),
    disabledReason: z.string().nullable(),
    pausedUntil: z.string().nullable(),
    pausedReason: z.string().nullable().openapi({
      description:
        "Why the channel is paused (e.g. the flow is turned off in Power Automate); null for rate limits.",
    }),
    entraAppId: z.string().nullable(),
    ratePolicy: z
      .string()
      .nullable()
      .openapi({ description: "This webhook's own rate policy, or null: its kind's default." }),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
    health: z.object({
      lastSuccessAt: z.string().nullable(),
      consecutiveFailures: z.number().int(),
    }),
    createdAt: z.string(),
    alertsPosted24h: z.number().int().optional(),
    activeWorkflows: z.number().int().optional(),
  })
  .openapi("Webhook");
export type Webhook = z.infer<typeof Webhook>;
export const WebhookList = itemsOf(Webhook);
export type WebhookList = z.infer<typeof WebhookList>;

/**
 * The connection test posts Herald's own fixed text, so its body has no fields: a caller's
 * textMessage is refused rather than silently replaced, so nobody believes their text was sent.
 */
export const TestWebhookRequest = z
  .strictObject(
    {},
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}: the connection test posts Herald's own fixed text and takes no fields; send {} or no body`
          : undefined,
    },
  )
  .openapi("TestWebhookRequest", { description: "No fields: the test text is Herald's own." });
export type TestWebhookRequest = z.input<typeof TestWebhookRequest>;

export const TestWebhookResponse = SendMessageResponse.extend({
  httpStatus: z.number().int().nullable(),
}).openapi("ConnectionTest");
export type TestWebhookResponse = z.infer<typeof TestWebhookResponse>;

export const ErrorLogClassification = z.enum([
  "gone",
  "throttled",
  "bad_request",
  "transient",
  "too_large",
  "redirect",
  "state",
  "flow_off",
  "flow_deleted",
  "flow_unauthorized",
  "entra_refused",
]);
export type ErrorLogClassification = z.infer<typeof ErrorLogClassification>;

export const ErrorLogQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z
    .string()
    .regex(/^el_[0-9a-f]{32}$/, "must be the nextCursor of a previous page")
    .optional()
    .openapi({ description: "nextCursor of the previous page" }),
  classification: ErrorLogClassification.optional(),
  webhookId: z.string().max(64).optional(),
  messageId: z.string().max(64).optional(),
});
/** What a caller may pass: every parameter optional (the server applies the defaults). */
export type ErrorLogQuery = Partial<z.output<typeof ErrorLogQuery>>;

export const ErrorLogItem = z
  .object({
    id: z.string(),
    at: z.string(),
    webhookId: z.string(),
    instanceId: z.string(),
    messageId: z.string().nullable(),
    httpStatus: z.number().int().nullable(),
    kind: z.string(),
    classification: z.string(),
    teamsText: z.string().nullable(),
    action: z.string(),
  })
  .openapi("ErrorLogItem");
export type ErrorLogItem = z.infer<typeof ErrorLogItem>;

export const ErrorLogPage = z
  .object({ items: z.array(ErrorLogItem), nextCursor: z.string().nullable() })
  .openapi("ErrorLogPage");
export type ErrorLogPage = z.infer<typeof ErrorLogPage>;
