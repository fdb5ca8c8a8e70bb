// Binding keys (Mendix's LicenseKey + LicenseSecret): create, list, revoke. The secret appears once.
import type { BindingKey } from "@herald/sdk";
import type { Instance, Shell } from "../context.ts";
import {
  Badge,
  ConfirmForm,
  CopyButton,
  CsrfField,
  EmptyState,
  Field,
  LocalTime,
  PageHeader,
} from "./components.tsx";
import { Icon } from "./icons.tsx";
import { AppShell } from "./layout.tsx";

export interface KeysPageProps {
  shell: Shell;
  instance: Instance;
  keys: BindingKey[];
  /** Only in the answer to the creating post: the one time the secret is shown. */
  created?: (BindingKey & { licenseSecret: string }) | undefined;
  nameError?: string | undefined;
  name?: string | undefined;
}

export function KeysPage(p: KeysPageProps) {
  const active = p.keys.filter((k) => !k.revokedAt);
  const revoked = p.keys.filter((k) => k.revokedAt);
  return (
    <AppShell shell={p.shell} section="keys" title="Binding keys">
      <PageHeader
        title="Binding keys"
        lead={
          <>
            Each app that sends through <strong>{p.instance.name}</strong> authenticates with a LicenseKey and
            its LicenseSecret. Create one pair per app, so you can revoke one without touching the others.
          </>
        }
      />
      {p.created ? <CreatedKey created={p.created} /> : null}
      <section class="card" aria-labelledby="create-key-title">
        <h2 id="create-key-title">Create binding keys</h2>
        <form
          method="post"
          action={`/console/i/${p.instance.id}/keys`}
          class="inline-form"
          data-busy-label="Creating…"
        >
          <CsrfField token={p.shell.csrf} />
          <Field
            id="key-name"
            name="name"
            label="Name"
            value={p.created ? undefined : p.name}
            maxlength={200}
            required
            autocomplete="off"
            hint="Include the name of the app that will use them, e.g. “Support portal (production)”."
            error={p.nameError}
          />
          <button type="submit" class="btn btn-primary">
            <Icon name="key" />
            <span>Create keys</span>
          </button>
        </form>
      </section>
      {p.keys.length === 0 ? (
        <EmptyState icon="key" title="No binding keys yet">
          <p>
            Create a pair above and configure it in your app as the LicenseKey and LicenseSecret constants.
          </p>
        </EmptyState>
      ) : (
        <section aria-labelledby="keys-title">
          <h2 id="keys-title" class="section-title">
            Keys of {p.instance.name}
          </h2>
          <div class="table-wrap">
            <table class="table responsive-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">LicenseKey</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...active, ...revoked].map((k) => (
                  <KeyRow bindingKey={k} instance={p.instance} csrf={p.shell.csrf} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </AppShell>
  );
}

function CreatedKey({ created }: { created: BindingKey & { licenseSecret: string } }) {
  return (
    <section class="card secret-card" aria-labelledby="secret-title" tabindex={-1} data-focus-on-load="">
      <h2 id="secret-title">
        <Icon name="key" /> Keys for “{created.name}” created
      </h2>
      <p class="secret-warning">
        <Icon name="alert" />
        <strong>Copy the LicenseSecret now.</strong> Herald keeps only a hash of it and will never show it
        again.
      </p>
      <dl class="secret-values">
        <div>
          <dt>LicenseKey</dt>
          <dd>
            <code data-license-key="">{created.licenseKey}</code>
            <CopyButton value={created.licenseKey} label="Copy LicenseKey" copied="Copied the LicenseKey." />
          </dd>
        </div>
        <div>
          <dt>LicenseSecret</dt>
          <dd>
            <code data-license-secret="">{created.licenseSecret}</code>
            <CopyButton
              value={created.licenseSecret}
              label="Copy LicenseSecret"
              copied="Copied the LicenseSecret."
            />
          </dd>
        </div>
      </dl>
      <p class="hint">
        Set them as your app's <code>LicenseKey</code> and <code>LicenseSecret</code> constants (or the{" "}
        <code>X-License-Key</code> and <code>X-License-Secret</code> headers).
      </p>
    </section>
  );
}

function KeyRow({
  bindingKey: k,
  instance,
  csrf,
}: {
  bindingKey: BindingKey;
  instance: Instance;
  csrf: string;
}) {
  return (
    <tr class={k.revokedAt ? "row-muted" : undefined}>
      <td data-label="Name" class="cell-primary">
        {k.name}
      </td>
      <td data-label="LicenseKey">
        <span class="channel-meta">
          <code>{k.licenseKey}</code>
          {k.revokedAt ? null : (
            <CopyButton
              value={k.licenseKey}
              label={`Copy LicenseKey of ${k.name}`}
              copied="Copied the LicenseKey."
              compact
            />
          )}
        </span>
      </td>
      <td data-label="Created">
        <LocalTime iso={k.createdAt} />
      </td>
      <td data-label="Last used">
        <LocalTime iso={k.lastUsedAt} fallback="Never" />
      </td>
      <td data-label="Status">
        {k.revokedAt ? (
          <span>
            <Badge tone="neutral">Revoked</Badge> <LocalTime iso={k.revokedAt} />
          </span>
        ) : (
          <Badge tone="success">Active</Badge>
        )}
      </td>
      <td class="cell-actions">
        {k.revokedAt ? null : (
          <ConfirmForm
            action={`/console/i/${instance.id}/keys/${k.id}/revoke`}
            csrf={csrf}
            question={`Revoke the keys “${k.name}”?`}
            detail="Apps using this LicenseKey are refused with license_invalid from now on. This cannot be undone."
            confirmLabel="Revoke keys"
          >
            <button type="submit" class="btn btn-danger-outline btn-sm" aria-label={`Revoke ${k.name}`}>
              Revoke
            </button>
          </ConfirmForm>
        )}
      </td>
    </tr>
  );
}
