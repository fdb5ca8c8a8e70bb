// Console sessions: sign-up, sign-in, sign-out, and the cookies the console keeps them in.
import { MAX_PASSWORD_LENGTH, passwordProblem } from "@herald/core";
import { z } from "@hono/zod-openapi";

/** The console keeps the session token in this HttpOnly cookie. */
export const SESSION_COOKIE = "herald_session";
/** A readable cookie the console echoes in CSRF_HEADER on state-changing requests (double submit). */
export const CSRF_COOKIE = "herald_csrf";
export const CSRF_HEADER = "x-csrf-token";
/** How long a session token (and its cookie) lasts. */
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

/** A new password: length after trimming, and none of the most common ones. */
export const NewPassword = z
  .string()
  .max(MAX_PASSWORD_LENGTH)
  .superRefine((value, check) => {
    const problem = passwordProblem(value);
    if (problem) check.addIssue({ code: "custom", message: problem });
  });

export const SignupRequest = z.object({
  email: z.email().max(254).openapi({ example: "ops@contoso.com" }),
  password: NewPassword,
  organization: z.string().trim().min(1).max(200),
});
export type SignupRequest = z.input<typeof SignupRequest>;

export const SignupResponse = z.object({ token: z.string(), tenantId: z.string(), instanceId: z.string() });
export type SignupResponse = z.infer<typeof SignupResponse>;

export const LoginRequest = z.object({ email: z.string().max(254), password: z.string().max(200) });
export type LoginRequest = z.input<typeof LoginRequest>;

export const LoginResponse = z.object({ token: z.string() });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const LogoutEverywhereResponse = z.object({ sessionsEnded: z.number().int() });
export type LogoutEverywhereResponse = z.infer<typeof LogoutEverywhereResponse>;

export const ChangePasswordRequest = z.object({
  currentPassword: z.string().max(MAX_PASSWORD_LENGTH),
  newPassword: NewPassword,
});
export type ChangePasswordRequest = z.input<typeof ChangePasswordRequest>;

export const ResetPasswordRequest = z.object({ token: z.string().min(1).max(100), newPassword: NewPassword });
export type ResetPasswordRequest = z.input<typeof ResetPasswordRequest>;
