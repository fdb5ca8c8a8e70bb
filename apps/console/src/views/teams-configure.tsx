// The connector configuration page Teams embeds (seed 003). The markup holds every state; the script
// (teams-configure.js) talks to Teams through teams-js and to Herald's api, and shows the right one.
import { assetUrl } from "../assets.ts";
import { Field } from "./components.tsx";
import { Icon, Logo } from "./icons.tsx";
import { Document } from "./layout.tsx";

export function TeamsConfigurePage() {
  return (
    <Document
      title="Connect a Teams channel"
      bodyClass="teams-config"
      head={
        <>
          <script src={assetUrl("vendor/MicrosoftTeams.min.js")} defer />
          <script type="module" src={assetUrl("teams-configure.js")} />
        </>
      }
    >
      <main id="main" class="tc-main">
        <header class="tc-head">
          <Logo />
          <div>
            <h1>Herald</h1>
            <p class="muted">Messages from your apps and workflows, delivered to this channel.</p>
          </div>
        </header>

        <p id="tc-status" class="tc-status" role="status" aria-live="polite">
          Connecting to Microsoft Teams…
        </p>

        <section id="tc-outside" class="card" hidden>
          <h2>Open this page from Microsoft Teams</h2>
          <p>
            This is Herald's connector configuration page: Teams shows it when someone configures the Herald
            connector on a channel. To offer the connector, download the Teams app package from the console.
          </p>
          <a class="btn btn-primary" href="/console/teams">
            <Icon name="teams" />
            <span>Teams app in the console</span>
          </a>
        </section>

        <form id="tc-signin" class="card stack" hidden>
          <h2>Sign in to Herald</h2>
          <p class="muted">Sign in with your Herald account to connect this channel.</p>
          <Field id="tc-email" name="email" label="Email" type="email" autocomplete="username" required />
          <Field
            id="tc-password"
            name="password"
            label="Password"
            type="password"
            autocomplete="current-password"
            required
          />
          <p id="tc-signin-error" class="field-error" role="alert" hidden />
          <button type="submit" class="btn btn-primary">
            Sign in
          </button>
          <p class="hint">
            No account yet?{" "}
            <a href="/console/signup" target="_blank" rel="noopener">
              Start a free trial
            </a>{" "}
            in a new window, then come back here.
          </p>
        </form>

        <form id="tc-settings" class="card stack" hidden>
          <h2 id="tc-settings-title">Connect this channel</h2>
          <div class="field">
            <label for="tc-instance">Herald instance</label>
            <select id="tc-instance" name="instance" required aria-describedby="tc-instance-hint" />
            <p class="hint" id="tc-instance-hint">
              The instance whose apps will send to this channel.
            </p>
          </div>
          <Field
            id="tc-name"
            name="name"
            label="Channel name in Herald"
            maxlength={200}
            required
            autocomplete="off"
            hint="How this channel is listed on the console's Channels tab."
          />
          <p class="hint">
            When you select <strong>Save</strong>, Herald registers this channel's webhook and gives it a
            webhook ID for your apps.
          </p>
        </form>

        <section id="tc-saved" class="card" hidden>
          <h2>
            <Icon name="check" /> Channel connected
          </h2>
          <p>
            Webhook ID <code id="tc-webhook-id" />{" "}
            <button
              type="button"
              id="tc-copy"
              class="btn btn-secondary btn-sm"
              data-copy=""
              data-copied="Copied the webhook ID."
            >
              <Icon name="copy" />
              <span>Copy</span>
            </button>
          </p>
          <p class="muted">
            Give it to sendMessage in your apps. The channel is now listed in the Herald console.
          </p>
        </section>

        <section id="tc-remove" class="card" hidden>
          <h2>Remove Herald from this channel</h2>
          <p>
            Herald deletes the webhook <code id="tc-remove-id" />; apps that send to its webhook ID are
            refused from then on.
          </p>
        </section>
      </main>
    </Document>
  );
}
