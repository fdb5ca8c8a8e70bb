// @ts-check
// Progressive enhancement of the server-rendered console: every page works without this script;
// with it, dialogs open in place, destructive actions ask first, and copy buttons copy.
import { copyText, toast } from "./dom.js";

document.documentElement.classList.replace("no-js", "js");

/**
 * The closest element matching `selector` from an event's target.
 * @param {Event} event
 * @param {string} selector
 * @returns {HTMLElement | null}
 */
function closestTo(event, selector) {
  const target = event.target instanceof Element ? event.target.closest(selector) : null;
  return target instanceof HTMLElement ? target : null;
}

// Copy buttons: webhook IDs, LicenseKeys, the LicenseSecret shown once.
document.addEventListener("click", async (event) => {
  const button = closestTo(event, "[data-copy]");
  if (!button) return;
  const ok = await copyText(button.dataset.copy ?? "");
  toast(
    ok ? (button.dataset.copied ?? "Copied.") : "Could not copy; select the text and copy it yourself.",
    ok ? "success" : "error",
  );
  button.closest("details")?.removeAttribute("open");
});

// Dialogs: links with data-dialog open the dialog in place of navigating to their fallback page.
document.addEventListener("click", (event) => {
  const opener = closestTo(event, "[data-dialog]");
  if (opener) {
    const dialog = document.getElementById(opener.dataset.dialog ?? "");
    if (dialog instanceof HTMLDialogElement) {
      event.preventDefault();
      dialog.showModal();
      const first = dialog.querySelector("input:not([type=hidden]), select, textarea");
      if (first instanceof HTMLElement) first.focus();
    }
    return;
  }
  const closer = closestTo(event, "[data-close]");
  const dialog = closer?.closest("dialog");
  if (closer && dialog) {
    event.preventDefault();
    dialog.close();
    return;
  }
  // A click on the backdrop (the dialog element itself, outside its content) closes it.
  if (event.target instanceof HTMLDialogElement && event.target.classList.contains("dialog")) {
    const box = event.target.getBoundingClientRect();
    const { clientX: x, clientY: y } = /** @type {MouseEvent} */ (event);
    if (x < box.left || x > box.right || y < box.top || y > box.bottom) event.target.close();
  }
});

/**
 * Asks before a destructive action, in a modal dialog.
 * @param {string} question
 * @param {string} detail
 * @param {string} confirmLabel
 * @returns {Promise<boolean>}
 */
function confirmAction(question, detail, confirmLabel) {
  const dialog = document.createElement("dialog");
  dialog.className = "dialog dialog-confirm";
  dialog.setAttribute("aria-labelledby", "confirm-title");
  dialog.setAttribute("aria-describedby", "confirm-detail");
  const form = document.createElement("form");
  form.method = "dialog";
  const title = Object.assign(document.createElement("h2"), { id: "confirm-title", textContent: question });
  const text = Object.assign(document.createElement("p"), { id: "confirm-detail", textContent: detail });
  const actions = Object.assign(document.createElement("div"), { className: "form-actions" });
  const yes = Object.assign(document.createElement("button"), {
    className: "btn btn-danger",
    value: "yes",
    textContent: confirmLabel,
  });
  const no = Object.assign(document.createElement("button"), {
    className: "btn btn-secondary",
    value: "no",
    textContent: "Cancel",
  });
  actions.append(yes, no);
  form.append(title, text, actions);
  dialog.append(form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "yes");
      dialog.remove();
    });
    dialog.showModal();
    no.focus();
  });
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method === "dialog") return;
  if (form.dataset.confirm && form.dataset.confirmed !== "yes") {
    event.preventDefault();
    const submitter = event.submitter;
    form.closest("details")?.removeAttribute("open");
    const yes = await confirmAction(
      form.dataset.confirm,
      form.dataset.confirmDetail ?? "",
      form.dataset.confirmLabel ?? "Confirm",
    );
    if (!yes) return;
    form.dataset.confirmed = "yes";
    const confirmed = Object.assign(document.createElement("input"), {
      type: "hidden",
      name: "confirm",
      value: "yes",
    });
    form.append(confirmed);
    form.requestSubmit(submitter instanceof HTMLButtonElement ? submitter : null);
    return;
  }
  if (form.dataset.submitting === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "yes";
  const button =
    event.submitter instanceof HTMLButtonElement
      ? event.submitter
      : form.querySelector("button[type=submit]");
  if (button instanceof HTMLButtonElement) {
    button.classList.add("is-busy");
    button.setAttribute("aria-disabled", "true");
    if (form.dataset.busyLabel) button.setAttribute("aria-label", form.dataset.busyLabel);
  }
  // A page restored from the back/forward cache must not stay busy.
  window.addEventListener("pageshow", () => {
    delete form.dataset.submitting;
    button?.classList.remove("is-busy");
    button?.removeAttribute("aria-disabled");
  });
});

// Filters apply as soon as they change.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.dataset.autosubmit !== undefined)
    select.form?.requestSubmit();
});

// Action menus: one open at a time; Escape or a click elsewhere closes it.
document.addEventListener(
  "toggle",
  (event) => {
    const opened = event.target;
    if (!(opened instanceof HTMLDetailsElement) || !opened.open || !opened.classList.contains("menu")) return;
    for (const other of document.querySelectorAll("details.menu[open]"))
      if (other !== opened) other.removeAttribute("open");
  },
  true,
);
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.menu[open]")) {
    if (!(event.target instanceof Node) || !menu.contains(event.target)) menu.removeAttribute("open");
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.menu[open]")) {
    menu.removeAttribute("open");
    const summary = menu.querySelector("summary");
    if (summary instanceof HTMLElement) summary.focus();
  }
});

// Times arrive in UTC; show them in the reader's own time zone.
const localTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
for (const time of document.querySelectorAll("time[data-local]")) {
  if (!(time instanceof HTMLTimeElement)) continue;
  const date = new Date(time.dateTime);
  if (Number.isNaN(date.getTime())) continue;
  time.title = time.textContent ?? "";
  time.textContent = localTime.format(date);
}

// On a narrow screen the navigation scrolls sideways: keep the current page's item in view.
document
  .querySelector(".sidenav [aria-current=page]")
  ?.scrollIntoView({ block: "nearest", inline: "center" });

// After an action, take keyboard and screen reader users to its outcome (unless a field asked for focus).
const outcome = document.querySelector("[data-focus-on-load], .flash");
if (outcome instanceof HTMLElement && !(document.activeElement instanceof HTMLInputElement)) outcome.focus();
