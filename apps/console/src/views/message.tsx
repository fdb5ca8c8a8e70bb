// One message: where it went, how its delivery went, and the error log entries it caused.
import type { ErrorLogItem, MessageDetail, Webhook } from "@herald/sdk";
import type { Instance, Shell } from "../context.ts";
import { describe } from "../error-events.ts";
import { Badge, LocalTime, PageHeader, type Tone } from "./components.tsx";
import { Quote, WithLocalTimes } from "./errors.tsx";
import { AppShell } from "./layout.tsx";

const STATUS: Record<MessageDetail["status"], { label: string; tone: Tone }> = {
  delivered: { label: "Delivered", tone: "success" },
  queued: { label: "Queued", tone: "warning" },
  failed: { label: "Failed", tone: "danger" },
};

export function MessagePage(p: {
  shell: Shell;
  instance: Instance;
  message: MessageDetail;
  channel: Webhook | undefined;
  events: ErrorLogItem[];
}) {
  const m = p.message;
  const status = STATUS[m.status];
  return (
    <AppShell shell={p.shell} section="channels" title={`Message ${m.messageId}`}>
      <p class="breadcrumb">
        <a href={`/console/i/${p.instance.id}/errors`}>Error Log</a> › Message
      </p>
      <PageHeader title={`Message ${m.messageId}`} lead={m.statusMessage} />
      <section class="card" aria-labelledby="message-facts-title">
        <div class="card-head">
          <h2 id="message-facts-title">Delivery</h2>
          <span data-message-status={m.status}>
            <Badge tone={status.tone}>{status.label}</Badge>
          </span>
        </div>
        <dl class="detail-list">
          <div>
            <dt>Channel</dt>
            <dd>
              {p.channel ? p.channel.name : <span class="muted">Deleted channel</span>}{" "}
              <code class="webhook-id">{m.webhookId}</code>
            </dd>
          </div>
          <div>
            <dt>Sent by</dt>
            <dd>{m.source ?? <span class="muted">No source given</span>}</dd>
          </div>
          <div>
            <dt>Accepted</dt>
            <dd>
              <LocalTime iso={m.createdAt} />
            </dd>
          </div>
          <div>
            <dt>Attempts</dt>
            <dd>
              {m.attempts}
              {m.lastAttemptAt ? (
                <>
                  {" "}
                  (last <LocalTime iso={m.lastAttemptAt} />
                  {m.lastHttpStatus === null ? "" : `, Teams answered HTTP ${m.lastHttpStatus}`})
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{m.status === "queued" ? "Finished" : m.status === "delivered" ? "Delivered" : "Failed"}</dt>
            <dd>
              <LocalTime iso={m.finishedAt} fallback="Not yet" />
            </dd>
          </div>
        </dl>
      </section>
      <section class="card" aria-labelledby="message-events-title">
        <h2 id="message-events-title">Error log entries</h2>
        {p.events.length === 0 ? (
          <p class="muted">Nothing was logged for this message.</p>
        ) : (
          <ol class="event-list">
            {p.events.map(describe).map((e) => (
              <li>
                <LocalTime iso={e.item.at} /> · <strong>{e.label}</strong>: {e.headline}{" "}
                {e.answer ? <span class="muted">Teams answered {e.answer}</span> : null}
                {e.quote ? <Quote text={e.quote} /> : null}
                <div>
                  Herald: <WithLocalTimes text={e.action} />
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </AppShell>
  );
}
