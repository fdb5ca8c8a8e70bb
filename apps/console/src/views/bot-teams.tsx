// The "Teams bot" tab: connect a Microsoft Teams team with a link code, see the linked teams and
// their channels, and add a channel as a bot channel (replies in threads, updates, deletes).
import type { LinkedTeam, TeamLink, Webhook } from "@herald/sdk";
import type { Instance, Shell } from "../context.ts";
import { CopyButton, CsrfField, EmptyState, LocalTime } from "./components.tsx";
import { AppShell } from "./layout.tsx";
import { TeamsTabs } from "./teams-tabs.tsx";

export function BotTeamsPage(props: {
  shell: Shell;
  instance: Instance;
  teams: LinkedTeam[];
  channels: Webhook[];
  link?: TeamLink | undefined;
  botConfigured: boolean;
}) {
  const base = `/console/i/${props.instance.id}/teams-bot`;
  const added = new Set(props.channels.flatMap((w) => (w.teamsChannel ? [w.teamsChannel.channelId] : [])));
  return (
    <AppShell shell={props.shell} section="channels" title="Teams bot">
      <TeamsTabs instance={props.instance} tab="bot" />
      {!props.botConfigured ? (
        <EmptyState icon="channels" title="This Herald has no Teams bot">
          <p>
            The operator can register one and set <code>HERALD_BOT_APP_ID</code>,{" "}
            <code>HERALD_BOT_APP_SECRET</code> and <code>HERALD_BOT_TENANT_ID</code>. Bot channels confirm
            each post and can reply in threads, update and delete messages.
          </p>
        </EmptyState>
      ) : (
        <>
          <section class="card" aria-labelledby="connect-title">
            <h2 id="connect-title">Connect a Microsoft Teams team</h2>
            <p class="muted">
              Add the Herald app to the team in Teams, then post a link code in any of its channels. A code
              works once, for 30 minutes.
            </p>
            {props.link ? (
              <div class="stack">
                <p>In any channel of the team, post:</p>
                <p class="copy-line">
                  <code>{props.link.command}</code>
                  <CopyButton value={props.link.command} label="Copy" copied="Copied the link command." />
                </p>
                <p class="muted">
                  Valid until <LocalTime iso={props.link.expiresAt} />. Reload this page once Herald has
                  answered in the thread.
                </p>
              </div>
            ) : (
              <form method="post" action={`${base}/link`}>
                <CsrfField token={props.shell.csrf} />
                <button type="submit" class="btn btn-primary">
                  Connect a Microsoft Teams team
                </button>
              </form>
            )}
          </section>
          <section class="card" aria-labelledby="linked-title">
            <h2 id="linked-title">Linked teams</h2>
            {props.teams.length === 0 ? (
              <p class="muted">No team is linked to {props.instance.name} yet.</p>
            ) : (
              props.teams.map((team) => (
                <div class="stack">
                  <h3>
                    {team.name ?? team.teamId}
                    {team.installed ? null : <span class="muted"> (the app was removed from this team)</span>}
                  </h3>
                  <table class="table">
                    <thead>
                      <tr>
                        <th scope="col">Channel</th>
                        <th scope="col">Bot channel</th>
                      </tr>
                    </thead>
                    <tbody>
                      {team.channels.map((channel) => (
                        <tr>
                          <td>{channel.name}</td>
                          <td>
                            {added.has(channel.channelId) ? (
                              <span class="muted">Added</span>
                            ) : (
                              <form method="post" action={`${base}/channels`}>
                                <CsrfField token={props.shell.csrf} />
                                <input type="hidden" name="teamId" value={team.teamId} />
                                <input type="hidden" name="channelId" value={channel.channelId} />
                                <input
                                  type="hidden"
                                  name="name"
                                  value={`${team.name ?? "Team"} › ${channel.name}`}
                                />
                                <button type="submit" class="btn" disabled={!team.installed}>
                                  Add channel
                                </button>
                              </form>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ))
            )}
          </section>
        </>
      )}
    </AppShell>
  );
}
