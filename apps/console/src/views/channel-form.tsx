// Adding and editing a channel (Mendix's "Webhook Adder"): in a dialog on the Channels tab, or as a page.
import type { Webhook } from "@herald/sdk";
import type { Instance, Shell } from "../context.ts";
import { CsrfField, Field, PageHeader } from "./components.tsx";
import { AppShell } from "./layout.tsx";

export interface ChannelFormValues {
  name?: string | undefined;
  url?: string | undefined;
  description?: string | undefined;
}

export interface ChannelFormProps {
  instance: Instance;
  csrf: string;
  /** Absent when adding. */
  webhook?: Webhook | undefined;
  values?: ChannelFormValues;
  fields?: Record<string, string>;
  /** Prefix for element ids, so that the dialog and a page never collide. */
  idPrefix?: string;
}

const URL_HINT =
  "From Teams: a Workflows URL (…logic.azure.com/workflows/… or …powerplatform.com/…/workflows/…) or a legacy Incoming Webhook URL (…webhook.office.com/webhookb2/…). Herald stores it encrypted and never shows it in full again.";

export function ChannelForm(p: ChannelFormProps) {
  const id = (name: string) => `${p.idPrefix ?? "channel"}-${name}`;
  const editing = p.webhook !== undefined;
  const base = `/console/i/${p.instance.id}/channels`;
  const values = p.values ?? {};
  const fields = p.fields ?? {};
  return (
    <form
      method="post"
      action={editing ? `${base}/${p.webhook?.webhookId}` : base}
      class="stack"
      data-busy-label={editing ? "Saving…" : "Adding…"}
    >
      <CsrfField token={p.csrf} />
      <Field
        id={id("name")}
        name="name"
        label="Channel name"
        value={values.name ?? p.webhook?.name}
        maxlength={200}
        required
        autocomplete="off"
        hint="Match the channel's name in Teams, so nobody wonders where messages go."
        error={fields.name}
      />
      <Field
        id={id("url")}
        name="url"
        label={editing ? "New webhook URL" : "Webhook URL"}
        type="url"
        value={values.url}
        maxlength={2048}
        required={!editing}
        autocomplete="off"
        spellcheck={false}
        placeholder="https://…"
        hint={
          editing ? (
            <>
              Leave empty to keep the current URL, <code class="mask">{p.webhook?.url}</code>.
            </>
          ) : (
            URL_HINT
          )
        }
        error={fields.url}
      />
      <Field
        id={id("description")}
        name="description"
        label="Description"
        value={values.description ?? p.webhook?.description ?? undefined}
        maxlength={1000}
        multiline
        hint="Name the workflows or microflows that post here."
        error={fields.description}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary">
          {editing ? "Save changes" : "Add channel"}
        </button>
        <a class="btn btn-secondary" href={base} data-close="">
          Cancel
        </a>
      </div>
    </form>
  );
}

export function ChannelFormPage(p: ChannelFormProps & { shell: Shell; error?: string | undefined }) {
  const editing = p.webhook !== undefined;
  return (
    <AppShell shell={p.shell} section="channels" title={editing ? "Edit channel" : "Add channel"}>
      <PageHeader
        title={editing ? `Edit “${p.webhook?.name}”` : "Add a Teams channel"}
        lead={
          editing
            ? p.webhook?.kind === "legacy"
              ? `Move to Workflows: Microsoft retired Office 365 connectors in 2026. In the Teams channel, create a Workflows webhook ("Post to a channel when a webhook request is received") and paste its URL below. Webhook ID ${p.webhook.webhookId}, its history and usage stay the same, so senders need no change.`
              : `Webhook ID ${p.webhook?.webhookId} stays the same, so senders need no change.`
            : `Register a channel's webhook URL in ${p.instance.name} and get a webhook ID for sendMessage.`
        }
      />
      {p.error ? (
        <div class="flash flash-error" role="alert">
          <p class="flash-title">{p.error}</p>
        </div>
      ) : null}
      <section class="card narrow-card">
        <ChannelForm {...p} idPrefix="page" />
      </section>
    </AppShell>
  );
}
