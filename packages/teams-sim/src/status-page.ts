// The page at GET /: channels and their latest messages, so a person can watch messages arrive.

import type { ChannelSummary } from "./request-log.ts";
import type { SimStats } from "./types.ts";
import { channelOfPath } from "./urls.ts";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function time(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}

function outcome(status: number, violation: boolean, delivered: boolean): string {
  if (violation) return "throttled (rate window)";
  if (delivered) return "delivered";
  return status === 0 ? "no answer" : `answered ${status}`;
}

function channelSection(baseUrl: string, channel: ChannelSummary): string {
  const rows = channel.last
    .map(
      (r) =>
        `<tr class="${r.delivered ? "ok" : "ko"}"><td>${time(r.at)}</td><td>${escapeHtml(outcome(r.answeredStatus, r.violation, r.delivered))}</td><td>${escapeHtml(r.text ?? (r.bodyDropped ? "(body dropped)" : r.body.slice(0, 200)))}</td></tr>`,
    )
    .join("");
  return `<section>
<h2>${escapeHtml(channelOfPath(channel.pathname))} <small>${channel.kind}</small></h2>
<p class="url"><code>${escapeHtml(baseUrl + channel.path)}</code></p>
<p>${channel.requests} requests, ${channel.delivered} delivered, ${channel.violations} rate-window violations</p>
${rows === "" ? "<p><em>Nothing received yet.</em></p>" : `<table><tr><th>time (UTC)</th><th>outcome</th><th>text</th></tr>${rows}</table>`}
</section>`;
}

export function renderStatusPage(baseUrl: string, stats: SimStats, channels: ChannelSummary[]): string {
  const body =
    channels.length === 0
      ? `<p>No channels yet. Create one with <code>curl -X POST ${escapeHtml(baseUrl)}/_sim/webhooks -d '{"kind":"legacy","channel":"general"}'</code> or post to any <code>/webhookb2/...</code> or <code>/workflows/...</code> path.</p>`
      : channels.map((c) => channelSection(baseUrl, c)).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>Teams emulator</title>
<style>
body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem;color:#242424}
h1{color:#5b5fc7}section{border:1px solid #ddd;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}
small{color:#777;font-weight:normal}.url code{font-size:12px;color:#555;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.2rem .5rem;border-top:1px solid #eee;vertical-align:top}
tr.ko td{color:#a4262c}td:last-child{white-space:pre-wrap}
</style></head><body>
<h1>Teams emulator</h1>
<p>${stats.requests} requests, ${stats.delivered} delivered, ${stats.violations} rate-window violations. Refreshes every 2 s.</p>
${body}
</body></html>`;
}
