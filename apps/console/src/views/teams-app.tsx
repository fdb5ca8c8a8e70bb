// The console's "Teams app" page: how to offer Herald as a connector in Teams, and the app package.
import type { Shell } from "../context.ts";
import type { AppPackageInput } from "../teams/manifest.ts";
import { CopyButton, Field, PageHeader } from "./components.tsx";
import { Icon } from "./icons.tsx";
import { AppShell } from "./layout.tsx";

export interface TeamsAppPageProps {
  shell: Shell;
  input: AppPackageInput;
  problems?: Record<string, string>;
}

export function TeamsAppPage({ shell, input, problems = {} }: TeamsAppPageProps) {
  const base = input.baseUrl.replace(/\/$/, "");
  const configurationUrl = `${base}/teams/configure`;
  const secure = base.startsWith("https://");
  return (
    <AppShell shell={shell} section="teams" title="Teams app">
      <PageHeader
        title="Teams app"
        lead="Let people connect a channel from inside Microsoft Teams: they pick an instance, select Save, and Herald registers the channel's webhook for them."
      />
      <div class="callout">
        <Icon name="info" />
        <p>
          Microsoft retired Office 365 connectors in 2026. New channels are best added with a Workflows
          webhook URL on the{" "}
          <a href={shell.home ? `/console/i/${shell.home.id}/channels` : "/console"}>Channels</a> tab; the
          connector below serves tenants that still use connectors.
        </p>
      </div>
      {secure ? null : (
        <div class="callout callout-warning" role="note">
          <Icon name="alert" />
          <p>
            Teams only loads pages over https, and this Herald is reached at <code>{base}</code>. Set{" "}
            <code>HERALD_PUBLIC_URL</code> to its public https address before you publish the app.
          </p>
        </div>
      )}
      <section class="card" aria-labelledby="steps-title">
        <h2 id="steps-title">Set up the connector</h2>
        <ol class="steps">
          <li>
            <p>
              Register a connector in Microsoft's <strong>Connectors Developer Dashboard</strong> with this
              configuration page (its host is the valid domain):
            </p>
            <p class="copy-line">
              <code>{configurationUrl}</code>
              <CopyButton value={configurationUrl} label="Copy" copied="Copied the configuration page URL." />
            </p>
          </li>
          <li>Download the app package below with the connector's ID.</li>
          <li>
            In Teams, upload it under <strong>Apps › Manage your apps › Upload an app</strong> (or to your
            organization's app catalog).
          </li>
          <li>
            In a channel, open <strong>Connectors</strong>, choose <strong>Configure</strong> next to your
            app, pick the Herald instance and select <strong>Save</strong>. The channel then appears on the
            Channels tab with its webhook ID.
          </li>
        </ol>
      </section>
      <section class="card" aria-labelledby="package-title">
        <h2 id="package-title">App package</h2>
        <p class="muted">
          A zip with <code>manifest.json</code> (with the connector entry) and the two icons Teams asks for.
        </p>
        <form method="get" action="/console/teams/app-package.zip" class="stack narrow-form">
          <Field
            id="connector-id"
            name="connectorId"
            label="Connector ID"
            value={input.connectorId}
            required
            autocomplete="off"
            spellcheck={false}
            placeholder="0f8fad5b-d9cb-469f-a165-70867728950e"
            hint="The GUID the Connectors Developer Dashboard gave your connector."
            error={problems.connectorId}
          />
          <Field
            id="app-name"
            name="appName"
            label="App name"
            value={input.appName}
            maxlength={30}
            required
            error={problems.appName}
          />
          <Field
            id="developer-name"
            name="developerName"
            label="Publisher"
            value={input.developerName}
            maxlength={32}
            required
            error={problems.developerName}
          />
          <Field
            id="website-url"
            name="websiteUrl"
            label="Website"
            type="url"
            value={input.websiteUrl}
            required
            hint="Shown in Teams as the publisher's website, privacy policy and terms of use."
            error={problems.websiteUrl}
          />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary">
              <Icon name="download" />
              <span>Download app package</span>
            </button>
          </div>
        </form>
      </section>
    </AppShell>
  );
}
