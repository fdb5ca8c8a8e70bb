// What the console shows when a page cannot be shown: not found, a refused form, or a fault.
import { BareShell } from "./layout.tsx";

export function ErrorPage(p: { title: string; message: string; requestId?: string | undefined }) {
  return (
    <BareShell title={p.title}>
      <section class="card auth-card" aria-labelledby="error-title">
        <h1 id="error-title">{p.title}</h1>
        <p>{p.message}</p>
        {p.requestId ? <p class="muted small">Request ID: {p.requestId}</p> : null}
        <p>
          <a class="btn btn-primary" href="/console">
            Back to the console
          </a>
        </p>
      </section>
    </BareShell>
  );
}
