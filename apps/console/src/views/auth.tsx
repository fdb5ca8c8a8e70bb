// Sign in and sign up: the only pages a visitor without a session sees.
import type { Flash } from "../context.ts";
import { Field, FlashMessage } from "./components.tsx";
import { BareShell } from "./layout.tsx";

export interface SignInProps {
  email?: string;
  next?: string | undefined;
  error?: string | undefined;
  flash?: Flash | null;
}

export function SignInPage(p: SignInProps) {
  return (
    <BareShell title="Sign in">
      <section class="card auth-card" aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Herald</h1>
        <p class="lead">Manage your Teams channels, binding keys and usage.</p>
        <FlashMessage flash={p.flash ?? null} />
        {p.error ? <FlashMessage flash={{ tone: "error", title: p.error }} /> : null}
        <form method="post" action="/console/login" class="stack" data-busy-label="Signing in…">
          {p.next ? <input type="hidden" name="next" value={p.next} /> : null}
          <Field
            id="email"
            name="email"
            label="Email"
            type="email"
            value={p.email}
            autocomplete="username"
            required
            autofocus={!p.email}
          />
          <Field
            id="password"
            name="password"
            label="Password"
            type="password"
            autocomplete="current-password"
            required
            autofocus={Boolean(p.email)}
          />
          <button type="submit" class="btn btn-primary btn-block">
            Sign in
          </button>
        </form>
        <p class="auth-switch">
          New to Herald? <a href="/console/signup">Start a free trial</a>
        </p>
      </section>
    </BareShell>
  );
}

export interface SignUpProps {
  organization?: string;
  email?: string;
  error?: string | undefined;
  fields?: Record<string, string>;
}

export function SignUpPage(p: SignUpProps) {
  const fields = p.fields ?? {};
  return (
    <BareShell title="Start a free trial">
      <section class="card auth-card" aria-labelledby="signup-title">
        <h1 id="signup-title">Start your free trial</h1>
        <p class="lead">
          You get a <strong>Developer Instance</strong> right away: add a Teams channel, create binding keys
          and send your first message in minutes.
        </p>
        {p.error ? <FlashMessage flash={{ tone: "error", title: p.error }} /> : null}
        <form method="post" action="/console/signup" class="stack" data-busy-label="Creating your account…">
          <Field
            id="organization"
            name="organization"
            label="Organization"
            value={p.organization}
            autocomplete="organization"
            maxlength={200}
            required
            autofocus
            error={fields.organization}
          />
          <Field
            id="email"
            name="email"
            label="Work email"
            type="email"
            value={p.email}
            autocomplete="email"
            maxlength={254}
            required
            error={fields.email}
          />
          <Field
            id="password"
            name="password"
            label="Password"
            type="password"
            autocomplete="new-password"
            minlength={10}
            maxlength={200}
            required
            hint="At least 10 characters."
            error={fields.password}
          />
          <button type="submit" class="btn btn-primary btn-block">
            Create account
          </button>
        </form>
        <p class="auth-switch">
          Already have an account? <a href="/console/login">Sign in</a>
        </p>
      </section>
    </BareShell>
  );
}
