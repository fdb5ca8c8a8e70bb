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
  closeMenuOf(button);
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
    closeMenuOf(form);
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

// Action menus are popovers (see ChannelMenu): the browser opens and closes them, keeps one open at
// a time and returns focus to the button on Escape. Here they are placed next to their button,
// below it or, near the bottom of the screen, above it, and arrow keys move between the items.

/**
 * Closes the action menu that holds `element`, if any.
 * @param {Element} element
 */
function closeMenuOf(element) {
  const menu = element.closest(".menu-list");
  if (menu instanceof HTMLElement && menu.matches(":popover-open")) menu.hidePopover();
}

/** @param {HTMLElement} menu */
function placeMenu(menu) {
  const button = document.querySelector(`[popovertarget="${CSS.escape(menu.id)}"]`);
  if (!(button instanceof HTMLElement)) return;
  const gap = 6;
  const edge = 8;
  const anchor = button.getBoundingClientRect();
  const { offsetWidth: width, offsetHeight: height } = menu;
  const left = Math.min(Math.max(edge, anchor.right - width), window.innerWidth - width - edge);
  const below = anchor.bottom + gap;
  const above = anchor.top - gap - height;
  const top =
    below + height <= window.innerHeight - edge || above < edge
      ? Math.min(below, Math.max(edge, window.innerHeight - height - edge))
      : above;
  menu.style.left = `${Math.max(edge, left)}px`;
  menu.style.top = `${top}px`;
}

/** @returns {HTMLElement[]} */
const openMenus = () =>
  [...document.querySelectorAll(".menu-list:popover-open")].filter(
    /** @returns {m is HTMLElement} */ (m) => m instanceof HTMLElement,
  );

/**
 * The menu's items a person can reach (copy buttons are hidden without clipboard support).
 * @param {HTMLElement} menu
 * @returns {HTMLElement[]}
 */
const menuItems = (menu) =>
  [...menu.querySelectorAll(".menu-item")].filter(
    /** @returns {item is HTMLElement} */ (item) => item instanceof HTMLElement && item.offsetParent !== null,
  );

document.addEventListener(
  "toggle",
  (event) => {
    const menu = event.target;
    if (!(menu instanceof HTMLElement) || !menu.classList.contains("menu-list")) return;
    if (/** @type {ToggleEvent} */ (event).newState !== "open") return;
    placeMenu(menu);
    const first = menuItems(menu)[0];
    if (first instanceof HTMLElement) first.focus();
  },
  true,
);
for (const type of ["scroll", "resize"]) {
  window.addEventListener(type, () => openMenus().forEach(placeMenu), { capture: true, passive: true });
}
document.addEventListener("keydown", (event) => {
  const menu = event.target instanceof Element ? event.target.closest(".menu-list") : null;
  if (!(menu instanceof HTMLElement)) return;
  const items = menuItems(menu);
  const at = event.target instanceof HTMLElement ? items.indexOf(event.target) : -1;
  const next =
    event.key === "ArrowDown"
      ? items[(at + 1) % items.length]
      : event.key === "ArrowUp"
        ? items[(at - 1 + items.length) % items.length]
        : event.key === "Home"
          ? items[0]
          : event.key === "End"
            ? items.at(-1)
            : undefined;
  if (!next) return;
  event.preventDefault();
  next.focus();
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

// After an action, take keyboard and screen reader users to its outcome (unless a field asked for focus).
const outcome = document.querySelector("[data-focus-on-load], .flash");
if (outcome instanceof HTMLElement && !(document.activeElement instanceof HTMLInputElement)) outcome.focus();
