// @ts-check
// The connector configuration page inside Teams (seed 003), with teams-js served by Herald:
// - Save: getConfig().webhookUrl -> register the webhook in the chosen instance -> setConfig with a
//   contentUrl for later edits -> notifySuccess.
// - Remove (frame context "remove"): delete the webhook whose ID was saved as the entityId.
// teams-js 2 names them pages.config.setValidityState / registerOnSaveHandler / setConfig and
// pages.getConfig; on the wire they are Teams' settings.* messages.
import { byId, cookie, show } from "./dom.js";

/** @typedef {{ id: string; name: string }} Instance */
/** @typedef {{ webhookId: string; instanceId: string; name: string }} Webhook */
/** @typedef {import("@microsoft/teams-js").pages.InstanceConfig & { webhookUrl?: string; configName?: string }} ConnectorSettings */

class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const ui = {
  status: byId("tc-status", HTMLElement),
  outside: byId("tc-outside", HTMLElement),
  signin: byId("tc-signin", HTMLFormElement),
  signinError: byId("tc-signin-error", HTMLElement),
  email: byId("tc-email", HTMLInputElement),
  password: byId("tc-password", HTMLInputElement),
  settings: byId("tc-settings", HTMLFormElement),
  settingsTitle: byId("tc-settings-title", HTMLElement),
  instance: byId("tc-instance", HTMLSelectElement),
  name: byId("tc-name", HTMLInputElement),
  saved: byId("tc-saved", HTMLElement),
  webhookId: byId("tc-webhook-id", HTMLElement),
  copy: byId("tc-copy", HTMLButtonElement),
  remove: byId("tc-remove", HTMLElement),
  removeId: byId("tc-remove-id", HTMLElement),
};

/** A Bearer token from signing in on this page; without it the session cookie is used (when the browser sends it). */
let token = "";

/**
 * Calls Herald's JSON API.
 * @template T
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<T>}
 */
async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  else if (method !== "GET") headers["x-csrf-token"] = cookie("herald_csrf");
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  /** @type {{ error?: { code?: string; message?: string } } | null} */
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    throw new ApiError(
      res.status,
      parsed?.error?.code ?? "http_error",
      parsed?.error?.message ?? `HTTP ${res.status}`,
    );
  }
  return /** @type {T} */ (parsed);
}

/**
 * @param {string} text
 * @param {"info" | "error" | "success"} [tone]
 */
function say(text, tone = "info") {
  ui.status.textContent = text;
  ui.status.dataset.tone = tone;
}

/** @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error));

/**
 * Rejects if `promise` takes longer than `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T>}
 */
function within(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), ms)),
  ]).then((value) => /** @type {T} */ (value));
}

/**
 * Shows the sign-in form and resolves once the person has signed in.
 * @returns {Promise<void>}
 */
function signIn() {
  show(ui.signin, true);
  say("Sign in to Herald to continue.");
  ui.email.focus();
  return new Promise((resolve) => {
    ui.signin.addEventListener("submit", async function onSubmit(event) {
      event.preventDefault();
      show(ui.signinError, false);
      try {
        const result = /** @type {{ token: string }} */ (
          await api("POST", "/v1/auth/login", { email: ui.email.value.trim(), password: ui.password.value })
        );
        token = result.token;
        ui.password.value = "";
        show(ui.signin, false);
        ui.signin.removeEventListener("submit", onSubmit);
        resolve();
      } catch (error) {
        ui.signinError.textContent =
          error instanceof ApiError && error.code === "invalid_credentials"
            ? "That email and password do not match an account."
            : messageOf(error);
        show(ui.signinError, true);
      }
    });
  });
}

/**
 * Runs an API call, asking the person to sign in first when Herald does not know them.
 * @template T
 * @param {() => Promise<T>} call
 * @returns {Promise<T>}
 */
async function signedIn(call) {
  // Herald sets its CSRF cookie with the session: without it there is no session to try, so ask
  // first rather than send a request bound to be refused.
  if (!token && !cookie("herald_csrf")) await signIn();
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    await signIn();
    return call();
  }
}

/**
 * @param {typeof import("@microsoft/teams-js")} teams
 * @param {string | undefined} existingId the webhook saved for this channel before, when reconfiguring
 */
async function configure(teams, existingId) {
  /** @type {Webhook | null} */
  let existing = null;

  const validate = () => {
    teams.pages.config.setValidityState(Boolean(ui.instance.value && ui.name.value.trim()));
  };

  teams.pages.config.registerOnSaveHandler(async (saveEvent) => {
    say("Saving…");
    try {
      const settings = /** @type {ConnectorSettings} */ (await teams.pages.getConfig());
      const webhookUrl = settings.webhookUrl;
      if (!webhookUrl) throw new Error("Teams did not provide this channel's webhook URL.");
      const name = ui.name.value.trim();
      /** @type {Webhook} */
      const webhook = existing
        ? await api("PATCH", `/v1/webhooks/${encodeURIComponent(existing.webhookId)}`, {
            name,
            url: webhookUrl,
          })
        : await api("POST", `/v1/instances/${encodeURIComponent(ui.instance.value)}/webhooks`, {
            name,
            url: webhookUrl,
            description: "Added from Microsoft Teams",
          });
      /** @type {ConnectorSettings} */
      const config = {
        entityId: webhook.webhookId,
        configName: name,
        suggestedDisplayName: name,
        contentUrl: `${location.origin}/teams/configure?webhookId=${encodeURIComponent(webhook.webhookId)}`,
      };
      await teams.pages.config.setConfig(config);
      existing = webhook;
      ui.webhookId.textContent = webhook.webhookId;
      ui.copy.dataset.copy = webhook.webhookId;
      show(ui.saved, true);
      say(`Connected: webhook ID ${webhook.webhookId}.`, "success");
      saveEvent.notifySuccess();
    } catch (error) {
      say(`Not saved: ${messageOf(error)}`, "error");
      saveEvent.notifyFailure(messageOf(error));
    }
  });

  say("Loading your Herald instances…");
  const { items } = /** @type {{ items: Instance[] }} */ (await signedIn(() => api("GET", "/v1/instances")));
  if (existingId) {
    existing = await api("GET", `/v1/webhooks/${encodeURIComponent(existingId)}`).then(
      (w) => /** @type {Webhook} */ (w),
      () => null,
    );
  }
  ui.instance.replaceChildren(
    ...items.map((i) => new Option(i.name, i.id, false, existing ? i.id === existing.instanceId : false)),
  );
  if (existing) {
    // A webhook stays in its instance; only its name (and URL) can change here.
    ui.instance.disabled = true;
    ui.name.value = existing.name;
    ui.settingsTitle.textContent = "Update this channel's connection";
  } else {
    const context = await within(teams.app.getContext(), 1500).catch(() => null);
    ui.name.value = context?.channel?.displayName ?? "";
  }
  ui.instance.addEventListener("change", validate);
  ui.name.addEventListener("input", validate);
  show(ui.settings, true);
  say(
    existing
      ? `This channel sends through webhook ${existing.webhookId}.`
      : "Choose the instance, then select Save.",
  );
  validate();
}

/**
 * @param {typeof import("@microsoft/teams-js")} teams
 * @param {string | undefined} webhookId
 */
async function remove(teams, webhookId) {
  ui.removeId.textContent = webhookId ?? "(unknown)";
  teams.pages.config.registerOnRemoveHandler(async (removeEvent) => {
    say("Removing…");
    try {
      if (!webhookId) throw new Error("Teams did not say which Herald webhook this channel uses.");
      await signedIn(() => api("DELETE", `/v1/webhooks/${encodeURIComponent(webhookId)}`));
      say("Removed: the webhook was deleted from Herald.", "success");
      removeEvent.notifySuccess();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        say("Removed: the webhook was already gone from Herald.", "success");
        removeEvent.notifySuccess();
        return;
      }
      say(`Not removed: ${messageOf(error)}`, "error");
      removeEvent.notifyFailure(messageOf(error));
    }
  });
  // Sign in now rather than when Teams is already waiting for the removal.
  await signedIn(() => api("GET", "/v1/instances"));
  show(ui.remove, true);
  say("Select Remove in Teams to disconnect this channel.");
}

async function main() {
  const teams = window.microsoftTeams;
  try {
    if (!teams) throw new Error("teams-js did not load");
    await within(teams.app.initialize(), 8000);
  } catch {
    say("");
    show(ui.status, false);
    show(ui.outside, true);
    return;
  }
  const settings = /** @type {ConnectorSettings | null} */ (await teams.pages.getConfig().catch(() => null));
  const existingId = settings?.entityId || new URL(location.href).searchParams.get("webhookId") || undefined;
  void teams.app.notifySuccess();
  if (teams.app.getFrameContext() === teams.FrameContexts.remove) await remove(teams, existingId);
  else await configure(teams, existingId);
}

main().catch((error) => say(`Something went wrong: ${messageOf(error)}`, "error"));
