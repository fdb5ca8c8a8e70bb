// The Error Log tab: what Teams answered, to which channel, and what Herald did about it.
import type { ErrorLogClassification } from "@herald/contract";
import type { ErrorLogItem, Webhook } from "@herald/sdk";
import type { Instance, Shell } from "../context.ts";
import { type ErrorEvent, splitTimes, toEvents } from "../error-events.ts";
import { Badge, EmptyState, LocalTime, type Tone } from "./components.tsx";
import { AppShell } from "./layout.tsx";
import { TeamsTabs } from "./teams-tabs.tsx";

/** The api's classifications, in the words of Autotask's error list. */
export const ERROR_KINDS: ReadonlyArray<{ value: ErrorLogClassification; label: string; tone: Tone }> = [
  { value: "gone", label: "Webhook or channel removed", tone: "danger" },
  { value: "throttled", label: "Rate limited", tone: "warning" },
  { value: "bad_request", label: "Refused by Teams", tone: "danger" },
  { value: "transient", label: "Temporary failure", tone: "warning" },
  { value: "too_large", label: "Message too large", tone: "danger" },
  { value: "redirect", label: "Redirect", tone: "danger" },
  { value: "flow_off", label: "Flow turned off", tone: "warning" },
  { value: "flow_deleted", label: "Flow deleted", tone: "danger" },
  { value: "flow_unauthorized", label: "Flow refused the caller", tone: "danger" },
  { value: "entra_refused", label: "Entra refused the token", tone: "warning" },
  { value: "state", label: "Channel state change", tone: "neutral" },
];

export interface ErrorFilters {
  webhookId?: string | undefined;
  classification?: string | undefined;
  before?: string | undefined;
}

export interface ErrorsPageProps {
  shell: Shell;
  instance: Instance;
  channels: Webhook[];
  items: ErrorLogItem[];
  nextCursor: string | null;
  filters: ErrorFilters;
}

export function ErrorsPage(p: ErrorsPageProps) {
  const base = `/console/i/${p.instance.id}/errors`;
  const filtered = Boolean(p.filters.webhookId || p.filters.classification);
  const names = new Map(p.channels.map((w) => [w.webhookId, w.name]));
  const query = (before?: string) => {
    const q = new URLSearchParams();
    if (p.filters.webhookId) q.set("webhookId", p.filters.webhookId);
    if (p.filters.classification) q.set("classification", p.filters.classification);
    if (before) q.set("before", before);
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  return (
    <AppShell shell={p.shell} section="channels" title="Error Log">
      <TeamsTabs instance={p.instance} tab="errors" />
      <form class="filters" method="get" action={base} aria-label="Filter the error log">
        <div class="field field-inline">
          <label for="filter-channel">Channel</label>
          <select id="filter-channel" name="webhookId" data-autosubmit="">
            <option value="">All channels</option>
            {p.channels.map((w) => (
              <option value={w.webhookId} selected={w.webhookId === p.filters.webhookId}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-inline">
          <label for="filter-kind">Kind</label>
          <select id="filter-kind" name="classification" data-autosubmit="">
            <option value="">All kinds</option>
            {ERROR_KINDS.map((k) => (
              <option value={k.value} selected={k.value === p.filters.classification}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-secondary btn-sm no-js-only">
          Filter
        </button>
        {filtered ? (
          <a class="btn btn-ghost btn-sm" href={base}>
            Clear filters
          </a>
        ) : null}
      </form>
      {p.items.length === 0 ? (
        <EmptyState icon="log" title={filtered ? "Nothing matches these filters" : "No errors logged"}>
          <p>
            {filtered
              ? "Try another channel or kind, or clear the filters."
              : "When Teams refuses a message, rate limits a channel or cannot be reached, it is logged here with what Herald did about it."}
          </p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table responsive-table">
            <caption class="visually-hidden">Error log of {p.instance.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Channel</th>
                <th scope="col">What happened</th>
                <th scope="col">What Herald did</th>
              </tr>
            </thead>
            <tbody>
              {toEvents(p.items).map((e) => (
                <ErrorRow event={e} channel={names.get(e.item.webhookId)} instance={p.instance} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {p.filters.before || p.nextCursor ? (
        <nav class="pager" aria-label="Error log pages">
          {p.filters.before ? <a href={query()}>Newest entries</a> : <span />}
          {p.nextCursor ? <a href={query(p.nextCursor)}>Older entries</a> : null}
        </nav>
      ) : null}
    </AppShell>
  );
}

/** Text with its ISO times shown in the reader's time zone, like every other time on the page. */
export function WithLocalTimes({ text }: { text: string }) {
  return <>{splitTimes(text).map((part) => ("iso" in part ? <LocalTime iso={part.iso} /> : part.text))}</>;
}

/**
 * Teams' own words, in quotes. A word joiner keeps the closing quote on the last word's line; the
 * text may break anywhere, since Teams' answers carry long unbroken ids (`tcid=0,server=…`).
 */
export function Quote({ text }: { text: string }) {
  return (
    <span class="teams-text">
      “{text}
      {"\u2060”"}
    </span>
  );
}

function ErrorRow({
  event: e,
  channel,
  instance,
}: {
  event: ErrorEvent;
  channel: string | undefined;
  instance: Instance;
}) {
  const kind = ERROR_KINDS.find((k) => k.value === e.item.classification);
  return (
    <tr data-classification={e.item.classification} data-error-id={e.item.id}>
      <td data-label="Time" class="nowrap">
        <LocalTime iso={e.item.at} />
      </td>
      <td data-label="Channel">
        <div>
          {channel ?? <span class="muted">Deleted channel</span>}
          <div class="channel-meta">
            <code class="webhook-id">{e.item.webhookId}</code>
          </div>
        </div>
      </td>
      <td data-label="What happened" class="cell-event">
        <div>
          <Badge tone={kind?.tone ?? "neutral"}>{e.label}</Badge>
          <p class="event-headline">{e.headline}</p>
          {e.answer ? <p class="event-answer">Teams answered {e.answer}</p> : null}
          {e.quote ? <Quote text={e.quote} /> : null}
        </div>
      </td>
      <td data-label="What Herald did" class="cell-event">
        <div>
          <p class="event-action">
            <WithLocalTimes text={e.action} />
          </p>
          {e.item.messageId ? (
            <a href={`/console/i/${instance.id}/messages/${e.item.messageId}`} class="event-link">
              View the message
            </a>
          ) : null}
        </div>
      </td>
    </tr>
  );
}
