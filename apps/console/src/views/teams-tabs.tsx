// The Microsoft Teams page's header and its tabs (Autotask's Channels and Error Log, and the bot's teams).
import type { Child } from "hono/jsx";
import type { Instance } from "../context.ts";
import { PageHeader } from "./components.tsx";

export function TeamsTabs(props: {
  instance: Instance;
  tab: "channels" | "errors" | "bot";
  actions?: Child;
}) {
  const base = `/console/i/${props.instance.id}`;
  return (
    <>
      <PageHeader
        title="Microsoft Teams"
        lead={
          <>
            The Teams channels that <strong>{props.instance.name}</strong> posts to, and what happened when
            Teams refused a message.
          </>
        }
        actions={props.actions}
      />
      <nav class="tabs" aria-label="Microsoft Teams">
        <a href={`${base}/channels`} aria-current={props.tab === "channels" ? "page" : undefined}>
          Channels
        </a>
        <a href={`${base}/errors`} aria-current={props.tab === "errors" ? "page" : undefined}>
          Error Log
        </a>
        <a href={`${base}/teams-bot`} aria-current={props.tab === "bot" ? "page" : undefined}>
          Teams bot
        </a>
      </nav>
    </>
  );
}
