// The usage dashboard (Mendix's): This Month, Last Month, Total, a daily chart and the plan's quotas.
import type { Usage, UsagePeriod } from "@herald/sdk";
import { assetUrl } from "../assets.ts";
import type { Instance, Shell } from "../context.ts";
import { daysUntil, formatDate, formatMonth, formatNumber } from "../format.ts";
import { quotaBurn } from "../usage-series.ts";
import { PageHeader } from "./components.tsx";
import { Icon } from "./icons.tsx";
import { AppShell } from "./layout.tsx";

export interface DailyPoint {
  day: string;
  sent: number;
  failed: number;
  throttled: number;
}

export interface UsagePageProps {
  shell: Shell;
  usage: Usage;
  /** The tenant's quotas: always the whole account, whatever the instance filter. */
  quota: Usage["quota"];
  daily: DailyPoint[];
  /** This month's messages per channel, busiest first. */
  channels: NonNullable<Usage["webhooks"]>;
  filter: Instance | undefined;
  now: Date;
}

/** How many channels each "top" list shows. */
const TOP = 5;

export function UsagePage(p: UsagePageProps) {
  const chartData = {
    days: p.daily.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000),
    sent: p.daily.map((d) => d.sent),
    failed: p.daily.map((d) => d.failed),
    throttled: p.daily.map((d) => d.throttled),
  };
  const sent30 = chartData.sent.reduce((a, b) => a + b, 0);
  const failed30 = chartData.failed.reduce((a, b) => a + b, 0);
  const query = p.filter ? `?instance=${encodeURIComponent(p.filter.id)}` : "";
  const trialing = p.quota.subscriptionStatus === "trialing";
  return (
    <AppShell
      shell={p.shell}
      section="usage"
      title="Usage"
      head={
        <>
          <link rel="stylesheet" href={assetUrl("vendor/uPlot.min.css")} />
          <script src={assetUrl("vendor/uPlot.iife.min.js")} defer />
          <script type="module" src={assetUrl("usage-chart.js")} />
        </>
      }
    >
      <PageHeader
        title="Usage"
        lead="Messages Herald delivered to Teams for you, and how much of your plan they used."
        actions={
          <>
            <InstanceFilter shell={p.shell} filter={p.filter} />
            <a class="btn btn-secondary btn-sm" href={`/console/usage/daily.csv${query}`} download="">
              <Icon name="download" />
              <span>Daily CSV</span>
            </a>
            <a class="btn btn-secondary btn-sm" href={`/console/usage/channels.csv${query}`} download="">
              <Icon name="download" />
              <span>Channels CSV</span>
            </a>
          </>
        }
      />
      <section class="period-grid" aria-label="Usage by period">
        <PeriodCard
          id="this-month"
          title="This Month"
          note={formatMonth(p.usage.thisMonth.from)}
          period={p.usage.thisMonth}
        />
        <PeriodCard
          id="last-month"
          title="Last Month"
          note={formatMonth(p.usage.lastMonth.from)}
          period={p.usage.lastMonth}
        />
        <PeriodCard
          id="total"
          title="Total"
          note={trialing ? "Since your trial began" : "Since you signed up"}
          period={p.usage.total}
        />
      </section>
      <section class="card" aria-labelledby="daily-title">
        <div class="card-head">
          <h2 id="daily-title">Messages per day</h2>
          <p class="muted small">Last 30 days, ending today (UTC){p.filter ? ` · ${p.filter.name}` : ""}</p>
        </div>
        <div
          id="usage-chart"
          class="chart"
          role="img"
          aria-label={`Messages per day over the last 30 days: ${sent30} sent, ${failed30} failed.`}
        />
        <script
          type="application/json"
          id="usage-data"
          dangerouslySetInnerHTML={{ __html: JSON.stringify(chartData).replace(/</g, "\\u003c") }}
        />
        <details class="chart-table">
          <summary>Show as a table</summary>
          <div class="table-wrap">
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" class="num">
                    Sent
                  </th>
                  <th scope="col" class="num">
                    Failed
                  </th>
                  <th scope="col" class="num">
                    Rate limited
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...p.daily].reverse().map((d) => (
                  <tr>
                    <td>{formatDate(`${d.day}T00:00:00Z`)}</td>
                    <td class="num">{formatNumber(d.sent)}</td>
                    <td class="num">{formatNumber(d.failed)}</td>
                    <td class="num">{formatNumber(d.throttled)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>
      <TopChannels channels={p.channels} filter={p.filter} />
      <Quotas quota={p.quota} now={p.now} />
    </AppShell>
  );
}

function InstanceFilter({ shell, filter }: { shell: Shell; filter: Instance | undefined }) {
  return (
    <form method="get" action="/console/usage" class="filters filters-compact">
      <div class="field field-inline">
        <label for="usage-instance">Show</label>
        <select id="usage-instance" name="instance" data-autosubmit="">
          <option value="">All instances</option>
          {shell.instances.map((i) => (
            <option value={i.id} selected={i.id === filter?.id}>
              {i.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="btn btn-secondary btn-sm no-js-only">
        Show
      </button>
    </form>
  );
}

function ChannelList(p: {
  id: string;
  title: string;
  rows: NonNullable<Usage["webhooks"]>;
  value: (row: NonNullable<Usage["webhooks"]>[number]) => number;
  unit: string;
  empty: string;
}) {
  return (
    <div class="top-list" data-top={p.id}>
      <h3 id={`${p.id}-title`}>{p.title}</h3>
      {p.rows.length === 0 ? (
        <p class="muted small">{p.empty}</p>
      ) : (
        <table class="table compact" aria-labelledby={`${p.id}-title`}>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col" class="num">
                {p.unit}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((row) => (
              <tr data-webhook-id={row.webhookId}>
                <td>
                  {row.name}
                  {row.deleted ? <span class="muted"> (deleted)</span> : null}
                </td>
                <td class="num">{formatNumber(p.value(row))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function TopChannels({
  channels,
  filter,
}: {
  channels: NonNullable<Usage["webhooks"]>;
  filter: Instance | undefined;
}) {
  const bySent = channels.filter((c) => c.messagesSent > 0).slice(0, TOP);
  const byFailed = channels
    .filter((c) => c.messagesFailed > 0)
    .sort((a, b) => b.messagesFailed - a.messagesFailed)
    .slice(0, TOP);
  return (
    <section class="card" aria-labelledby="channels-title">
      <div class="card-head">
        <h2 id="channels-title">Channels this month</h2>
        <p class="muted small">{filter ? filter.name : "All instances"}</p>
      </div>
      <div class="top-grid">
        <ChannelList
          id="top-sent"
          title="Most messages"
          rows={bySent}
          value={(c) => c.messagesSent}
          unit="Sent"
          empty="No messages sent this month."
        />
        <ChannelList
          id="top-failed"
          title="Most failures"
          rows={byFailed}
          value={(c) => c.messagesFailed}
          unit="Failed"
          empty="No failed messages this month."
        />
      </div>
    </section>
  );
}

function PeriodCard(p: { id: string; title: string; note: string; period: UsagePeriod }) {
  return (
    <article class="card period" aria-labelledby={`${p.id}-title`} data-period={p.id}>
      <h2 id={`${p.id}-title`}>{p.title}</h2>
      <p class="muted small">{p.note}</p>
      <p class="big-number">
        <span data-messages-sent="">{formatNumber(p.period.messagesSent)}</span>
        <span class="big-label">messages sent</span>
      </p>
      <dl class="facts">
        <div>
          <dt>Failed</dt>
          <dd>{formatNumber(p.period.messagesFailed)}</dd>
        </div>
        <div>
          <dt>Rate limited</dt>
          <dd>{formatNumber(p.period.messagesThrottled)}</dd>
        </div>
        <div>
          <dt>Webhooks added</dt>
          <dd>{formatNumber(p.period.webhooksAdded)}</dd>
        </div>
      </dl>
    </article>
  );
}

function Quotas({ quota, now }: { quota: Usage["quota"]; now: Date }) {
  const resets = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
  return (
    <section class="card" aria-labelledby="quota-title">
      <div class="card-head">
        <h2 id="quota-title">Plan and quotas</h2>
        <p class="muted small">
          Plan <strong>{quota.plan}</strong>
          {quota.trialEndsAt && quota.subscriptionStatus === "trialing"
            ? ` · trial ends in ${daysUntil(quota.trialEndsAt, now)} days (${formatDate(quota.trialEndsAt)})`
            : ` · ${quota.subscriptionStatus}`}
        </p>
      </div>
      <QuotaBar
        id="quota-webhooks"
        label="Webhooks"
        used={quota.webhooks.used}
        limit={quota.webhooks.limit}
        note="Every webhook URL you register counts, active or not; deleting one frees its slot."
      />
      <QuotaBar
        id="quota-messages"
        label="Messages this month"
        used={quota.messagesThisMonth.used}
        limit={quota.messagesThisMonth.limit}
        note={`Resets on ${formatDate(resets)}.${
          quota.messagesThisMonth.billOverage ? " Messages past the limit are billed as overage." : ""
        }`}
      />
      <Burn
        used={quota.messagesThisMonth.used}
        limit={quota.messagesThisMonth.limit}
        billOverage={quota.messagesThisMonth.billOverage}
        now={now}
      />
    </section>
  );
}

function QuotaBar(p: { id: string; label: string; used: number; limit: number | null; note: string }) {
  const full = p.limit !== null && p.used >= p.limit;
  const text =
    p.limit === null
      ? `${formatNumber(p.used)} · no limit`
      : `${formatNumber(p.used)} of ${formatNumber(p.limit)}`;
  return (
    <div class={full ? "quota quota-full" : "quota"} data-quota={p.id}>
      <div class="quota-head">
        <label for={p.id}>{p.label}</label>
        <span class="quota-value">{text}</span>
      </div>
      {p.limit === null ? (
        <div class="quota-track-unlimited" />
      ) : (
        <meter
          id={p.id}
          min={0}
          max={p.limit}
          value={Math.min(p.used, p.limit)}
          low={p.limit * 0.8}
          high={Math.max(p.limit * 0.8, p.limit - 0.5)}
          optimum={0}
          aria-valuetext={text}
        >
          {text}
        </meter>
      )}
      <p class="hint">{p.note}</p>
    </div>
  );
}

function Burn(p: { used: number; limit: number | null; billOverage: boolean; now: Date }) {
  const burn = quotaBurn(p.used, p.limit, p.now);
  const share = p.limit ? ` (${Math.round((burn.projected / p.limit) * 100)}% of the limit)` : "";
  const over = burn.runsOutAt !== null;
  return (
    <p class={over ? "burn burn-over" : "burn"} data-burn="" data-projected={burn.projected}>
      {over ? <Icon name="alert" /> : <Icon name="chart" />}
      <span>
        At this month's pace: about <strong>{formatNumber(burn.projected)}</strong> messages by{" "}
        {formatDate(burn.monthEnd.toISOString())}
        {share}.
        {burn.runsOutAt
          ? p.billOverage
            ? ` The limit is passed around ${formatDate(burn.runsOutAt.toISOString())}; messages after that are billed as overage.`
            : ` The limit is reached around ${formatDate(burn.runsOutAt.toISOString())}; after that sendMessage is refused with quota_exhausted.`
          : ""}
      </span>
    </p>
  );
}
