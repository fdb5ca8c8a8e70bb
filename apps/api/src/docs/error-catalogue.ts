// What each error code means and what the caller should do: the catalogue shown at /docs.
// A Record over ErrorCode, so a new code does not compile until it is explained here.
import { ErrorCode, statusForCode } from "../errors.ts";

interface Explanation {
  meaning: string;
  action: string;
  /** Whether repeating the same request later can succeed. */
  retry: boolean;
}

const explanations: Record<ErrorCode, Explanation> = {
  invalid_request: {
    meaning: "The request failed validation; error.details.fields names each failing field and why.",
    action: "Fix the named fields. Sending the same request again fails the same way.",
    retry: false,
  },
  unsupported_media_type: {
    meaning: "The request has a body that is not labelled Content-Type: application/json.",
    action: "Send the body as JSON with the header Content-Type: application/json.",
    retry: false,
  },
  payload_too_large: {
    meaning:
      "The request body is over 1 MB, or the message built for Teams is over Teams' limit of about 28 KB.",
    action: "Shorten the text or the card.",
    retry: false,
  },
  card_not_convertible: {
    meaning:
      "strictConversion was asked for, and the MessageCard would lose part of itself as an Adaptive Card for this Workflows webhook (post-back actions, images in text); the message names each part.",
    action:
      "Send an Adaptive Card (version 1.4 at most) instead, replace the actions with links (OpenUri), or send without strictConversion to post what can be carried.",
    retry: false,
  },
  unauthorized: {
    meaning: "The console or operator API was called without a valid session or HERALD_ADMIN_TOKEN.",
    action: "Sign in again, or send Authorization: Bearer <token>.",
    retry: false,
  },
  forbidden: {
    meaning:
      "A Teams activity was signed for another serviceUrl, or names a serviceUrl whose host is not on HERALD_BOT_SERVICE_URLS; nothing was recorded.",
    action:
      "Only the Bot Connector posts to /bot/messages; operators add a Bot Connector host to HERALD_BOT_SERVICE_URLS.",
    retry: false,
  },
  invalid_credentials: {
    meaning: "Sign-in with an unknown email or a wrong password.",
    action: "Check the email and password.",
    retry: false,
  },
  license_invalid: {
    meaning:
      "The LicenseKey/LicenseSecret pair is unknown, revoked, or its subscription is inactive or expired; the reason field says which.",
    action:
      "Check the two values (the secret is shown once, when the binding key is created); create new binding keys if needed.",
    retry: false,
  },
  not_found: {
    meaning: "No such route, or no such resource in your account (another tenant's ids answer the same).",
    action: "Check the id and the path.",
    retry: false,
  },
  webhook_not_found: {
    meaning: "The webhook ID does not exist in the instance the binding key belongs to.",
    action: "Copy the Webhook ID from the console's Channels tab; use binding keys of the same instance.",
    retry: false,
  },
  webhook_inactive: {
    meaning:
      "The webhook was inactivated, or Herald disabled it after Teams answered 404/410 or repeated unknown 400s.",
    action: "Fix the connector or workflow in Teams, then activate the webhook in the console.",
    retry: false,
  },
  entra_app_in_use: {
    meaning: "The Entra app is attached to webhooks, which would lose their access to their flows.",
    action:
      "Attach another Entra app to those webhooks (or detach it with entraAppId: null), then remove it.",
    retry: false,
  },
  not_supported: {
    meaning:
      "The operation needs a bot channel: webhooks (legacy or Workflows) cannot reply in a thread, edit or delete a message they posted, because Teams gives a webhook post no id.",
    action:
      "Send through a bot webhook (one created with teamsChannel) to use replyTo, PATCH and DELETE on its messages.",
    retry: false,
  },
  bot_not_configured: {
    meaning:
      "This Herald has no Teams bot: the operator has not set HERALD_BOT_APP_ID, HERALD_BOT_APP_SECRET and HERALD_BOT_TENANT_ID.",
    action: "Ask the operator to register the bot and set those variables, or use a webhook URL instead.",
    retry: false,
  },
  webhook_url_not_allowed: {
    meaning: "The webhook URL is not https, or its host is not one HERALD_WEBHOOK_HOSTS admits.",
    action:
      "Use the URL Teams (Incoming Webhook or Workflows) gave you; operators widen HERALD_WEBHOOK_HOSTS.",
    retry: false,
  },
  quota_exhausted: {
    meaning: "The plan's monthly message quota or webhook quota is used up.",
    action: "See GET /v1/usage; move to a larger plan, or wait for the next month.",
    retry: false,
  },
  idempotency_conflict: {
    meaning: "The idempotency key was already used, within 24 hours, for a message with different content.",
    action: "Use a new idempotency key for new content.",
    retry: false,
  },
  email_taken: {
    meaning: "An account with this email already exists.",
    action: "Sign in instead.",
    retry: false,
  },
  rate_limited: {
    meaning:
      "Too many requests for this binding key (the plan's requests per second) or too many sign-in attempts.",
    action: "Wait the number of seconds in the Retry-After header, then retry.",
    retry: true,
  },
  already_subscribed: {
    meaning: "The tenant already has a subscription.",
    action: "Change plans in the billing portal (POST /v1/billing/portal).",
    retry: false,
  },
  billing_provider_error: {
    meaning: "Stripe could not be reached or refused the call.",
    action: "Retry later; the message says what Stripe answered.",
    retry: true,
  },
  service_unavailable: {
    meaning: "Herald cannot reach its database.",
    action:
      "Retry after Retry-After seconds with the same idempotency key (the SDK does this); nothing is sent twice.",
    retry: true,
  },
  storage_full: {
    meaning: "Herald's database has run out of disk space; the request stored nothing.",
    action:
      "Retry after Retry-After seconds with the same idempotency key. Operators: free disk space on the database volume (HERALD_DATA_DIR for the embedded database); Herald resumes without a restart.",
    retry: true,
  },
  internal_error: {
    meaning: "A fault on Herald's side.",
    action: "Report the requestId: it identifies the request in Herald's logs.",
    retry: true,
  },
};

export interface ErrorCatalogueEntry extends Explanation {
  code: ErrorCode;
  status: number;
}

/** Every error code, in the catalogue's order, with its HTTP status. */
export function errorCatalogue(): ErrorCatalogueEntry[] {
  return ErrorCode.options.map((code) => ({ code, status: statusForCode[code], ...explanations[code] }));
}
