// The signed-in user's own account: change the password, sign out everywhere; and the page a
// one-time reset link (`herald users reset-password`) opens.
import type { Shell } from "../context.ts";
import { CsrfField, Field, FlashMessage, PageHeader } from "./components.tsx";
import { AppShell, BareShell } from "./layout.tsx";

/** A changed or reset password; the hint says what the api refuses. */
const newPassword = {
  id: "newPassword",
  name: "newPassword",
  label: "New password",
  type: "password",
  autocomplete: "new-password",
  hint: "At least 10 characters; the most common passwords are refused.",
  minlength: 10,
  required: true,
} as const;

export interface AccountProps {
  shell: Shell;
  error?: string | undefined;
  fields?: Record<string, string>;
}

export function AccountPage(p: AccountProps) {
  return (
    <AppShell shell={p.shell} section="account" title="Your account">
      <PageHeader title="Your account" lead="Change your password, or sign out on every device." />
      {p.error ? <FlashMessage flash={{ tone: "error", title: p.error }} /> : null}
      <section class="card" aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <p>Every other session of yours is signed out; this one stays.</p>
        <form method="post" action="/console/account/password" class="stack">
          <CsrfField token={p.shell.csrf} />
          <Field
            id="currentPassword"
            name="currentPassword"
            label="Current password"
            type="password"
            autocomplete="current-password"
            error={p.fields?.currentPassword}
            required
          />
          <Field {...newPassword} error={p.fields?.newPassword} />
          <button type="submit" class="btn btn-primary">
            Change password
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sign out everywhere</h2>
        <p>Ends every session of yours, on every device and browser, this one included.</p>
        <form method="post" action="/console/account/logout-everywhere">
          <CsrfField token={p.shell.csrf} />
          <button type="submit" class="btn btn-danger">
            Sign out everywhere
          </button>
        </form>
      </section>
    </AppShell>
  );
}

export function ResetPasswordPage(p: { token: string; error?: string | undefined }) {
  return (
    <BareShell title="Set a new password">
      <section class="card auth-card" aria-labelledby="reset-title">
        <h1 id="reset-title">Set a new password</h1>
        <p class="lead">This link works once. Every session of yours is signed out.</p>
        {p.error ? <FlashMessage flash={{ tone: "error", title: p.error }} /> : null}
        <form method="post" action="/console/reset-password" class="stack">
          <input type="hidden" name="token" value={p.token} />
          <Field {...newPassword} autofocus />
          <button type="submit" class="btn btn-primary btn-block">
            Set password
          </button>
        </form>
      </section>
    </BareShell>
  );
}
