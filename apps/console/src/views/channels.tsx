// The Channels tab: Autotask's columns, and a menu of actions per channel.
import { CONNECTOR_RETIRED_HINT } from "@herald/core";
import type { Webhook } from "@herald/sdk";
import type { Instance, Shell } from "../context.ts";
import { formatNumber } from "../format.ts";
import { ChannelForm } from "./channel-form.tsx";
import { Badge, ConfirmForm, CopyButton, CsrfField, EmptyState, LocalTime } from "./components.tsx";
import { Icon } from "./icons.tsx";
import { AppShell } from "./layout.tsx";
import { TeamsTabs } from "./teams-tabs.tsx";

export function ChannelsPage({
  shell,
  instance,
  channels,
}: {
  shell: Shell;
  instance: Instance;
  channels: Webhook[];
}) {
  const addHref = `/console/i/${instance.id}/channels/new`;
  const addButton = (
    <a class="btn btn-primary" href={addHref} data-dialog="add-channel">
      <Icon name="plus" />
      <span>Add channel</span>
    </a>
  );
  return (
    <AppShell shell={shell} section="channels" title="Channels">
      <TeamsTabs instance={instance} tab="channels" actions={channels.length ? addButton : undefined} />
      {channels.length === 0 ? (
        <EmptyState icon="channels" title="No channels yet">
          <p>
            Add the webhook URL of a Teams channel to get its <strong>webhook ID</strong>. Your app then sends
            with <code>sendMessage(webhookId, textMessage)</code>.
          </p>
          {addButton}
        </EmptyState>
      ) : (
        <ChannelTable shell={shell} instance={instance} channels={channels} />
      )}
      <dialog id="add-channel" class="dialog" aria-labelledby="add-channel-title">
        <div class="dialog-head">
          <h2 id="add-channel-title">Add a Teams channel</h2>
          <button type="button" class="btn btn-ghost btn-icon" data-close="" aria-label="Close">
            <Icon name="x" />
          </button>
        </div>
        <ChannelForm instance={instance} csrf={shell.csrf} idPrefix="dialog" />
      </dialog>
    </AppShell>
  );
}

function ChannelTable({
  shell,
  instance,
  channels,
}: {
  shell: Shell;
  instance: Instance;
  channels: Webhook[];
}) {
  return (
    <>
      <div class="table-wrap">
        <table class="table responsive-table channels-table">
          <caption class="visually-hidden">Channels of {instance.name}</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Description</th>
              <th scope="col">State</th>
              <th scope="col" class="num">
                <abbr title="Messages Teams accepted in the last 24 hours">Posted (24 h)</abbr>
              </th>
              <th scope="col" class="num">
                <abbr title="Distinct senders (the source of sendMessage) in the last 30 days">
                  Senders (30 d)
                </abbr>
              </th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.map((w) => (
              <ChannelRow webhook={w} instance={instance} csrf={shell.csrf} />
            ))}
          </tbody>
        </table>
      </div>
      <p class="table-note">
        <strong>Posted (24 h)</strong>: messages Teams accepted in the last 24 hours; Microsoft limits each
        legacy connector to 100 an hour. <strong>Senders (30 d)</strong>: distinct senders (the{" "}
        <code>source</code> of sendMessage, such as a workflow or microflow) seen in the last 30 days.
      </p>
    </>
  );
}

/** A masked URL may break after a slash, never inside a word. */
function MaskedUrl({ url }: { url: string }) {
  const parts = url.split(/(?<=\/)/);
  return <span class="mask">{parts.map((part, i) => (i === 0 ? part : [<wbr />, part]))}</span>;
}

function ChannelRow({ webhook: w, instance, csrf }: { webhook: Webhook; instance: Instance; csrf: string }) {
  return (
    <tr data-webhook-id={w.webhookId}>
      <td data-label="Channel" class="cell-primary">
        <div class="channel-name">{w.name}</div>
        <div class="channel-meta">
          <code class="webhook-id">{w.webhookId}</code>
          <CopyButton
            value={w.webhookId}
            label={`Copy webhook ID of ${w.name}`}
            copied={`Copied the webhook ID of “${w.name}”.`}
            compact
          />
        </div>
        <div class="channel-meta muted">
          <span class="nowrap">{w.kind === "workflows" ? "Workflows URL" : "Legacy connector URL"}</span>
          <MaskedUrl url={w.url} />
        </div>
        {w.warnings.map((warning) => (
          <p class="channel-warning" data-warning={warning.code}>
            <Badge tone="warning">
              {warning.code === "connector_retired" ? "Connector retired" : "Warning"}
            </Badge>{" "}
            {warning.message}
          </p>
        ))}
      </td>
      <td data-label="Description" class={w.description ? "cell-description" : "cell-description muted"}>
        {w.description || "—"}
      </td>
      <td data-label="State" data-state={w.state} class="cell-state">
        <ChannelState webhook={w} />
      </td>
      <td data-label="Posted (24 h)" class="num" data-alerts-posted="">
        {formatNumber(w.alertsPosted24h ?? 0)}
      </td>
      <td data-label="Senders (30 d)" class="num" data-senders="">
        {formatNumber(w.activeWorkflows ?? 0)}
      </td>
      <td class="cell-actions">
        <ChannelMenu webhook={w} instance={instance} csrf={csrf} />
      </td>
    </tr>
  );
}

/** The reason, without the retirement hint when the row's "Connector retired" warning says it already. */
function disabledReasonBesideWarnings(w: Webhook): string | null {
  const reason = w.disabledReason;
  if (reason === null || !w.warnings.some((x) => x.code === "connector_retired")) return reason;
  return reason.replace(CONNECTOR_RETIRED_HINT, "").trim();
}

export function ChannelState({ webhook: w }: { webhook: Webhook }) {
  switch (w.state) {
    case "active":
      return <Badge tone="success">Active</Badge>;
    case "paused":
      return (
        <div class="state">
          <Badge tone="warning">Paused</Badge>
          {w.pausedReason ? (
            <p class="state-reason">
              {w.pausedReason} Next check after <LocalTime iso={w.pausedUntil} />; activate the channel to
              resume at once.
            </p>
          ) : (
            <p class="state-reason">
              Teams is rate limiting this channel; posting resumes after <LocalTime iso={w.pausedUntil} />.
            </p>
          )}
        </div>
      );
    case "disabled":
      return (
        <div class="state">
          <Badge tone="danger">Disabled</Badge>
          <p class="state-reason">{disabledReasonBesideWarnings(w)}</p>
        </div>
      );
    case "inactive":
      return <Badge tone="neutral">Inactive</Badge>;
  }
}

/**
 * The row's actions in a popover: it sits in the browser's top layer, so no scrolling table or card
 * can clip it, and it opens, closes (Escape, a click elsewhere) and takes focus without a script.
 * console.js places it next to its button and adds arrow-key movement.
 */
function ChannelMenu({ webhook: w, instance, csrf }: { webhook: Webhook; instance: Instance; csrf: string }) {
  const base = `/console/i/${instance.id}/channels/${w.webhookId}`;
  const menuId = `actions-${w.webhookId}`;
  return (
    <div class="menu">
      <button
        type="button"
        class="btn btn-secondary btn-icon-sm menu-button"
        popovertarget={menuId}
        aria-label={`Actions for ${w.name}`}
        title="Actions"
      >
        <span class="menu-label" aria-hidden="true">
          Actions
        </span>
        <Icon name="more" />
      </button>
      <div id={menuId} popover="auto" class="menu-list">
        <a class="menu-item" href={`${base}/edit`}>
          <Icon name="edit" />
          Edit
        </a>
        <button
          type="button"
          class="menu-item js-only"
          data-copy={w.webhookId}
          data-copied={`Copied the webhook ID of “${w.name}”.`}
        >
          <Icon name="copy" />
          Copy webhook ID
        </button>
        {w.active ? (
          <form method="post" action={`${base}/test`} data-busy-label="Testing…">
            <CsrfField token={csrf} />
            <button type="submit" class="menu-item">
              <Icon name="send" />
              Test connection
            </button>
          </form>
        ) : null}
        <form method="post" action={`${base}/active`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="active" value={w.active ? "false" : "true"} />
          <button type="submit" class="menu-item">
            <Icon name="power" />
            {w.active ? "Inactivate" : "Activate"}
          </button>
        </form>
        {w.kind === "legacy" ? (
          <a class="menu-item" href={`${base}/edit`} data-move-to-workflows="">
            <Icon name="edit" />
            Move to Workflows
          </a>
        ) : null}
        <ConfirmForm
          action={`${base}/delete`}
          csrf={csrf}
          question={`Delete the channel “${w.name}”?`}
          detail="Apps sending to its webhook ID will be refused, and queued messages fail. Reconfigure those workflows to notify another channel first. This cannot be undone."
          confirmLabel="Delete channel"
        >
          <button type="submit" class="menu-item menu-item-danger">
            <Icon name="trash" />
            Delete
          </button>
        </ConfirmForm>
      </div>
    </div>
  );
}
