// Plays Microsoft Teams' side of teams-js for a connector configuration page: it embeds the page in
// an iframe and answers its postMessage requests (initialize, getContext, settings.getSettings,
// settings.setSettings), records one-way messages (settings.setValidityState, registerHandler,
// settings.save.success ...), and can press Save or Remove (settings.save / settings.remove).
// installTeamsHost runs inside the browser (page.evaluate), so it must not use anything outside itself.

export interface TeamsHostOptions {
  src: string;
  frameContext: "settings" | "remove";
  /** What settings.getSettings answers before the page saves any (Teams puts the webhook URL here). */
  settings: Record<string, unknown>;
  channel: { id: string; name: string; team: string };
}

export interface TeamsHostState {
  /** Every request and one-way message the page sent, in order. */
  messages: Array<{ func: string; args: unknown[] }>;
  valid: boolean | null;
  registered: string[];
  /** What the page last saved with settings.setSettings. */
  saved: Record<string, unknown> | null;
  /** settings.save.success, settings.save.failure, settings.remove.success or settings.remove.failure. */
  outcome: string | null;
  failure: unknown;
  save(): void;
  remove(): void;
}

declare global {
  interface Window {
    teamsHost?: TeamsHostState;
  }
}

export function installTeamsHost(options: TeamsHostOptions): void {
  const frame = document.createElement("iframe");
  frame.id = "teams-config-frame";
  frame.title = "Connector configuration";
  frame.src = options.src;
  frame.style.cssText =
    "width: 100%; height: 720px; border: 1px solid #d1d1d1; border-radius: 8px; background: #fff";
  const runtime = { apiVersion: 4, supports: { pages: { config: {} }, appInitialization: {} } };
  let settings: Record<string, unknown> = { ...options.settings };

  const post = (message: Record<string, unknown>) =>
    frame.contentWindow?.postMessage(message, location.origin);
  const state: TeamsHostState = {
    messages: [],
    valid: null,
    registered: [],
    saved: null,
    outcome: null,
    failure: null,
    save: () => post({ func: "settings.save", args: [{ ...settings }] }),
    remove: () => post({ func: "settings.remove", args: [] }),
  };
  window.teamsHost = state;

  window.addEventListener("message", (event: MessageEvent) => {
    if (event.source !== frame.contentWindow) return;
    const data = event.data as { id?: number; uuidAsString?: string; func?: string; args?: unknown[] };
    if (typeof data?.func !== "string") return;
    const args = data.args ?? [];
    state.messages.push({ func: data.func, args });
    const answer = (...values: unknown[]) =>
      post({ id: data.id, uuidAsString: data.uuidAsString, args: values });
    switch (data.func) {
      case "initialize":
        answer(options.frameContext, "web", JSON.stringify(runtime), "2.58.0");
        break;
      case "getContext":
        answer({
          frameContext: options.frameContext,
          hostClientType: "web",
          locale: "en-us",
          channelId: options.channel.id,
          channelName: options.channel.name,
          teamName: options.channel.team,
          entityId: settings.entityId,
        });
        break;
      case "settings.getSettings":
        answer({ ...settings });
        break;
      case "settings.setSettings":
        state.saved = { ...(args[0] as Record<string, unknown>) };
        settings = { ...settings, ...state.saved };
        answer(true);
        break;
      case "settings.setValidityState":
        state.valid = args[0] === true;
        break;
      case "registerHandler":
        state.registered.push(String(args[0]));
        break;
      case "settings.save.success":
      case "settings.remove.success":
        state.outcome = data.func;
        break;
      case "settings.save.failure":
      case "settings.remove.failure":
        state.outcome = data.func;
        state.failure = args[0];
        break;
    }
  });

  document.body.style.cssText = "margin: 0; padding: 24px; background: #ebebeb; font-family: system-ui";
  const dialog = document.createElement("div");
  dialog.style.cssText =
    "max-width: 680px; margin: 0 auto; background: #fff; padding: 16px; border-radius: 8px";
  const title = document.createElement("h1");
  title.textContent = `Configure Herald for ${options.channel.team} › ${options.channel.name}`;
  title.style.cssText = "font-size: 18px; margin: 0 0 12px";
  dialog.append(title, frame);
  document.body.append(dialog);
}
