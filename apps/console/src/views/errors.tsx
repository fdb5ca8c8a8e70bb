// The Error Log tab: what Teams answered, to which channel, and what Herald did about it.
import type { ErrorLogItem, Webhook } from "@herald/sdk";
import type { Instance, Shell } from "../context.ts";
import { Badge, EmptyState, LocalTime, type Tone } from "./components.tsx";
import { AppShell } from "./layout.tsx";
import { TeamsTabs } from "./teams-tabs.tsx";

/** The api's classifications, in the words of Autotask's error list. */
export const ERROR_KINDS: ReadonlyArray<{ value: string; label: string; tone: Tone }> = [
  { value: "gone", label: "Webhook or channel removed", tone: "danger" },
  { value: "throttled", label: "Rate limited", tone: "warning" },
  { value: "bad_request", label: "Refused by Teams", tone: "danger" },
  { value: "transient", label: "Temporary failure", tone: "warning" },
  { value: "too_large", label: "Message too large", tone: "danger" },
  { value: "redirect", label: "Redirect", tone: "danger" },
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
                <th scope="col">Error</th>
                <th scope="col">Teams' answer</th>
                <th scope="col">Action taken</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((e) => (
                <ErrorRow item={e} channel={names.get(e.webhookId)} />
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

function ErrorRow({ item: e, channel }: { item: ErrorLogItem; channel: string | undefined }) {
  const kind = ERROR_KINDS.find((k) => k.value === e.classification);
  return (
    <tr data-classification={e.classification}>
      <td data-label="Time" class="nowrap">
        <LocalTime iso={e.at} />
      </td>
      <td data-label="Channel">
        <div>
          {channel ?? <span class="muted">Deleted channel</span>}
          <div class="channel-meta">
            <code class="webhook-id">{e.webhookId}</code>
          </div>
        </div>
      </td>
      <td data-label="Error">
        <div>
          <Badge tone={kind?.tone ?? "neutral"}>{e.kind}</Badge>
          <div class="muted small">{kind?.label ?? e.classification}</div>
        </div>
      </td>
      <td data-label="Teams' answer">
        <div>
          {e.httpStatus === null ? null : <span class="http-status">HTTP {e.httpStatus}</span>}
          {e.teamsText ? (
            <q class="teams-text">{e.teamsText}</q>
          ) : e.httpStatus === null ? (
            <span class="muted">—</span>
          ) : null}
        </div>
      </td>
      <td data-label="Action taken">{e.action}</td>
    </tr>
  );
}
