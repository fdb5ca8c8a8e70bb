// One catalogue of error codes. Services throw DomainError (no HTTP in sight); the edge maps a
// code to its status and renders {"error": {code, message, requestId}}.
import type { ErrorCode } from "@herald/contract";
import type { z } from "@hono/zod-openapi";

export { ErrorBody, ErrorCode } from "@herald/contract";

export const statusForCode: Record<
  ErrorCode,
  400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503
> = {
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  card_not_convertible: 400,
  unauthorized: 401,
  forbidden: 403,
  invalid_credentials: 401,
  license_invalid: 401,
  not_found: 404,
  webhook_not_found: 404,
  webhook_inactive: 409,
  webhook_url_not_allowed: 400,
  entra_app_in_use: 409,
  not_supported: 409,
  bot_not_configured: 409,
  quota_exhausted: 429,
  idempotency_conflict: 409,
  email_taken: 409,
  rate_limited: 429,
  already_subscribed: 409,
  billing_provider_error: 502,
  service_unavailable: 503,
  storage_full: 503,
  internal_error: 500,
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Schema issues as the one invalid_request answer: every failing field, with what is wrong with it. */
export function invalidRequest(issues: readonly z.core.$ZodIssue[]): DomainError {
  const fields = issues.map((i) => ({ field: i.path.join(".") || "(body)", problem: i.message }));
  const summary = fields.map((f) => `${f.field}: ${f.problem}`).join("; ");
  return new DomainError("invalid_request", `Invalid request: ${summary}.`, { fields });
}

/** "Not found in this tenant" in one place: the same answer whether the id is unknown or someone else's. */
export function found<T>(
  row: T | undefined | null,
  what: string,
  id: string,
  code: ErrorCode = "not_found",
): T {
  if (row === undefined || row === null)
    throw new DomainError(code, `No ${what} with id ${id} in your account.`);
  return row;
}
