// The error catalogue's codes and the error body every error answer carries.
import { z } from "@hono/zod-openapi";

export const ErrorCode = z.enum([
  "invalid_request",
  "unsupported_media_type",
  "payload_too_large",
  "card_not_convertible",
  "unauthorized",
  "forbidden",
  "invalid_credentials",
  "license_invalid",
  "not_found",
  "webhook_not_found",
  "webhook_inactive",
  "webhook_url_not_allowed",
  "entra_app_in_use",
  "not_supported",
  "bot_not_configured",
  "quota_exhausted",
  "idempotency_conflict",
  "email_taken",
  "rate_limited",
  "already_subscribed",
  "billing_provider_error",
  "service_unavailable",
  "storage_full",
  "internal_error",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorDetail = z.object({
  code: ErrorCode,
  message: z.string(),
  requestId: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorBody = z.object({ error: ErrorDetail }).openapi("Error");
export type ErrorBody = z.infer<typeof ErrorBody>;
