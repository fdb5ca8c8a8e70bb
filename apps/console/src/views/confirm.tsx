// The confirmation step of a destructive action when the page's script did not ask already.
import type { Shell } from "../context.ts";
import { CsrfField, PageHeader } from "./components.tsx";
import { AppShell, type Section } from "./layout.tsx";

export interface ConfirmPageProps {
  shell: Shell;
  section: Section;
  question: string;
  detail: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
}

export function ConfirmPage(p: ConfirmPageProps) {
  return (
    <AppShell shell={p.shell} section={p.section} title="Please confirm">
      <PageHeader title={p.question} />
      <section class="card narrow-card">
        <p>{p.detail}</p>
        <form method="post" action={p.action} class="form-actions">
          <CsrfField token={p.shell.csrf} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="btn btn-danger">
            {p.confirmLabel}
          </button>
          <a class="btn btn-secondary" href={p.cancelHref}>
            Cancel
          </a>
        </form>
      </section>
    </AppShell>
  );
}
