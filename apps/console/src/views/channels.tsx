// The Channels tab: Autotask's columns, and a menu of actions per channel.
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
        <table class="table responsive-table">
          <caption class="visually-hidden">Channels of {instance.name}</caption>
          <thead>
            <tr>
              <th scope="col">Channel Name</th>
              <th scope="col">Description</th>
              <th scope="col">Active</th>
              <th scope="col" class="num">
                Active workflows
              </th>
              <th scope="col" class="num">
                Alerts posted <span class="th-note">(last 24 hours)</span>
              </th>
              <th scope="col">State</th>
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
        <strong>Active workflows</strong>: distinct senders (the <code>source</code> of sendMessage) seen in
        the last 30 days. <strong>Alerts posted</strong>: messages Teams accepted in the last 24 hours;
        Microsoft limits each legacy connector to 100 an hour.
      </p>
    </>
  );
}

function ChannelRow({ webhook: w, instance, csrf }: { webhook: Webhook; instance: Instance; csrf: string }) {
  return (
    <tr data-webhook-id={w.webhookId}>
      <td data-label="Channel Name" class="cell-primary">
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
          {w.kind === "workflows" ? "Workflows" : "Legacy connector"} · <span class="mask">{w.url}</span>
        </div>
      </td>
      <td data-label="Description" class={w.description ? "cell-description" : "cell-description muted"}>
        {w.description || "—"}
      </td>
      <td data-label="Active">
        {w.active ? (
          <span class="tick">
            <Icon name="check" />
            <span class="visually-hidden">Yes</span>
          </span>
        ) : (
          <span class="muted">
            <span aria-hidden="true">—</span>
            <span class="visually-hidden">No</span>
          </span>
        )}
      </td>
      <td data-label="Active workflows" class="num">
        {formatNumber(w.activeWorkflows ?? 0)}
      </td>
      <td data-label="Alerts posted (last 24 hours)" class="num" data-alerts-posted="">
        {formatNumber(w.alertsPosted24h ?? 0)}
      </td>
      <td data-label="State" data-state={w.state} class="cell-state">
        <ChannelState webhook={w} />
      </td>
      <td class="cell-actions">
        <ChannelMenu webhook={w} instance={instance} csrf={csrf} />
      </td>
    </tr>
  );
}

export function ChannelState({ webhook: w }: { webhook: Webhook }) {
  switch (w.state) {
    case "active":
      return <Badge tone="success">Active</Badge>;
    case "paused":
      return (
        <div class="state">
          <Badge tone="warning">Paused</Badge>
          <p class="state-reason">
            Teams is rate limiting this channel; posting resumes after <LocalTime iso={w.pausedUntil} />.
          </p>
        </div>
      );
    case "disabled":
      return (
        <div class="state">
          <Badge tone="danger">Disabled</Badge>
          <p class="state-reason">{w.disabledReason}</p>
        </div>
      );
    case "inactive":
      return <Badge tone="neutral">Inactive</Badge>;
  }
}

function ChannelMenu({ webhook: w, instance, csrf }: { webhook: Webhook; instance: Instance; csrf: string }) {
  const base = `/console/i/${instance.id}/channels/${w.webhookId}`;
  return (
    <details class="menu">
      <summary class="btn btn-secondary btn-icon-sm" aria-label={`Actions for ${w.name}`} title="Actions">
        <span class="menu-label" aria-hidden="true">
          Actions
        </span>
        <Icon name="more" />
      </summary>
      <div class="menu-list">
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
    </details>
  );
}
