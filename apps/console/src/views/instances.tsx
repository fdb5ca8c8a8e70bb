// Instances (Mendix's "Developer Instance" and friends): each has its own channels and binding keys.
import type { Shell } from "../context.ts";
import { CsrfField, Field, LocalTime, PageHeader } from "./components.tsx";
import { Icon } from "./icons.tsx";
import { AppShell } from "./layout.tsx";

export function InstancesPage({
  shell,
  error,
  name,
}: {
  shell: Shell;
  error?: string | undefined;
  name?: string;
}) {
  return (
    <AppShell shell={shell} section="instances" title="Instances">
      <PageHeader
        title="Instances"
        lead="Keep environments apart: each instance has its own channels, webhook IDs and binding keys. Quotas are shared by the account."
      />
      <section class="card" aria-labelledby="new-instance-title">
        <h2 id="new-instance-title">New instance</h2>
        <form method="post" action="/console/instances" class="inline-form" data-busy-label="Creating…">
          <CsrfField token={shell.csrf} />
          <Field
            id="instance-name"
            name="name"
            label="Name"
            value={name}
            maxlength={200}
            required
            autocomplete="off"
            hint="For example “Production” or “Acceptance”."
            error={error}
          />
          <button type="submit" class="btn btn-primary">
            <Icon name="plus" />
            <span>Create instance</span>
          </button>
        </form>
      </section>
      <div class="table-wrap">
        <table class="table responsive-table">
          <caption class="visually-hidden">Instances</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Instance ID</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Rename</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shell.instances.map((i) => (
              <tr>
                <td data-label="Name" class="cell-primary">
                  <a href={`/console/i/${i.id}/channels`}>{i.name}</a>
                </td>
                <td data-label="Instance ID">
                  <code>{i.id}</code>
                </td>
                <td data-label="Created">
                  <LocalTime iso={i.createdAt} />
                </td>
                <td class="cell-actions">
                  <form method="post" action={`/console/instances/${i.id}`} class="rename-form">
                    <CsrfField token={shell.csrf} />
                    <label class="visually-hidden" for={`rename-${i.id}`}>
                      New name for {i.name}
                    </label>
                    <input id={`rename-${i.id}`} name="name" value={i.name} maxlength={200} required />
                    <button type="submit" class="btn btn-secondary btn-sm">
                      Rename
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AppShell>
  );
}
