import type { MiddlewareHandler } from "hono";
import type { AppContext } from "../../context.ts";
import type { AppEnv } from "../../hono-env.ts";
import {
  authenticateLicense,
  credentialsFromHeaders,
  LicenseError,
} from "../../services/licenses/authenticate.ts";

export interface LicenseAuthOptions {
  ctx: AppContext;
}

/** Authenticates activity calls by LicenseKey/LicenseSecret (two headers or HTTP Basic). */
export function licenseAuth({ ctx }: LicenseAuthOptions): MiddlewareHandler<AppEnv> {
  return async function licenseAuthMiddleware(c, next) {
    const credentials = credentialsFromHeaders({
      key: c.req.header("x-license-key"),
      secret: c.req.header("x-license-secret"),
      authorization: c.req.header("authorization"),
    });
    if (!credentials) {
      throw new LicenseError(
        "missing_credentials",
        "License invalid: send your LicenseKey and LicenseSecret in the X-License-Key and X-License-Secret headers (or HTTP Basic).",
      );
    }
    c.set("license", await authenticateLicense(ctx, credentials.licenseKey, credentials.licenseSecret));
    await next();
  };
}
