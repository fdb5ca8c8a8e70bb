// Small building blocks shared by the console's pages: fields, buttons, badges, empty states.
import type { Child, PropsWithChildren } from "hono/jsx";
import type { Flash } from "../context.ts";
import { formatDateTime } from "../format.ts";
import { Icon, type IconName } from "./icons.tsx";

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export interface FieldProps {
  id: string;
  label: string;
  name: string;
  type?: "text" | "email" | "password" | "url";
  value?: string | undefined;
  hint?: Child;
  error?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  maxlength?: number;
  minlength?: number;
  multiline?: boolean;
  autofocus?: boolean;
  spellcheck?: boolean;
}

/** A labelled input with its hint and error wired to aria-describedby. */
export function Field(p: FieldProps) {
  const hintId = `${p.id}-hint`;
  const errorId = `${p.id}-error`;
  const describedBy = [p.hint ? hintId : "", p.error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id: p.id,
    name: p.name,
    required: p.required ?? false,
    placeholder: p.placeholder,
    maxlength: p.maxlength,
    autofocus: p.autofocus ?? false,
    "aria-describedby": describedBy,
    "aria-invalid": p.error ? "true" : undefined,
  };
  return (
    <div class={p.error ? "field field-invalid" : "field"}>
      <label for={p.id}>
        {p.label}
        {p.required ? "" : <span class="optional"> (optional)</span>}
      </label>
      {p.multiline ? (
        <textarea {...common} rows={3}>
          {p.value ?? ""}
        </textarea>
      ) : (
        <input
          {...common}
          type={p.type ?? "text"}
          value={p.value ?? ""}
          autocomplete={p.autocomplete}
          minlength={p.minlength}
          spellcheck={p.spellcheck}
        />
      )}
      {p.hint ? (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      ) : null}
      {p.error ? (
        <p class="field-error" id={errorId}>
          <Icon name="alert" /> {p.error}
        </p>
      ) : null}
    </div>
  );
}

export function FlashMessage({ flash }: { flash: Flash | null }) {
  if (!flash) return null;
  const icon: IconName = flash.tone === "success" ? "check" : flash.tone === "error" ? "alert" : "info";
  return (
    <div class={`flash flash-${flash.tone}`} role={flash.tone === "error" ? "alert" : "status"} tabindex={-1}>
      <Icon name={icon} />
      <div>
        <p class="flash-title">{flash.title}</p>
        {flash.detail ? <p class="flash-detail">{flash.detail}</p> : null}
      </div>
    </div>
  );
}

export function EmptyState(props: PropsWithChildren<{ icon: IconName; title: string }>) {
  return (
    <div class="empty">
      <span class="empty-icon" aria-hidden="true">
        <Icon name={props.icon} />
      </span>
      <h3>{props.title}</h3>
      {props.children}
    </div>
  );
}

export type Tone = "success" | "warning" | "danger" | "neutral" | "accent";
export function Badge(props: PropsWithChildren<{ tone: Tone }>) {
  return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}

/** A copy-to-clipboard button; hidden until the script runs, since it needs it. */
export function CopyButton(props: { value: string; label: string; copied: string; compact?: boolean }) {
  return (
    <button
      type="button"
      class={props.compact ? "btn btn-ghost btn-icon js-only" : "btn btn-secondary btn-sm js-only"}
      data-copy={props.value}
      data-copied={props.copied}
      aria-label={props.compact ? props.label : undefined}
      title={props.compact ? props.label : undefined}
    >
      <Icon name="copy" />
      {props.compact ? null : <span>{props.label}</span>}
    </button>
  );
}

/**
 * A destructive action behind a confirmation. The script asks in a dialog and adds `confirm=yes`;
 * without the script, the server answers the first post with a confirmation page.
 */
export function ConfirmForm(
  props: PropsWithChildren<{
    action: string;
    csrf: string;
    question: string;
    detail: string;
    confirmLabel: string;
    class?: string;
  }>,
) {
  return (
    <form
      method="post"
      action={props.action}
      class={props.class}
      data-confirm={props.question}
      data-confirm-detail={props.detail}
      data-confirm-label={props.confirmLabel}
    >
      <CsrfField token={props.csrf} />
      {props.children}
    </form>
  );
}

/** A UTC time the script rewrites into the reader's time zone. */
export function LocalTime({ iso, fallback = "—" }: { iso: string | null; fallback?: string }) {
  if (!iso) return <span class="muted">{fallback}</span>;
  return (
    <time datetime={iso} data-local="">
      {formatDateTime(iso)}
    </time>
  );
}

export function PageHeader(props: PropsWithChildren<{ title: string; lead?: Child; actions?: Child }>) {
  return (
    <div class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.lead ? <p class="lead">{props.lead}</p> : null}
      </div>
      {props.actions ? <div class="page-actions">{props.actions}</div> : null}
    </div>
  );
}
