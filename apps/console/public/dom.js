// @ts-check
// Small DOM helpers shared by the console's scripts.

/**
 * The element with this id, checked to be of the expected kind.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} kind
 * @returns {T}
 */
export function byId(id, kind) {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`#${id} is missing or not a ${kind.name}`);
  return element;
}

/**
 * A cookie readable by scripts (the CSRF token), or "".
 * @param {string} name
 */
export function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

/**
 * Copies text to the clipboard; falls back to a hidden textarea where the Clipboard API is missing.
 * @param {string} text
 * @returns {Promise<boolean>}
 */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** @type {HTMLElement | null} */
let toastRegion = null;
/** @type {number | undefined} */
let toastTimer;

/**
 * A short message at the bottom of the screen, announced politely to screen readers.
 * @param {string} text
 * @param {"success" | "error"} [tone]
 */
export function toast(text, tone = "success") {
  if (!toastRegion) {
    toastRegion = document.createElement("div");
    toastRegion.className = "toast";
    toastRegion.setAttribute("role", "status");
    toastRegion.setAttribute("aria-live", "polite");
    document.body.append(toastRegion);
  }
  const region = toastRegion;
  region.textContent = text;
  region.dataset.tone = tone;
  region.classList.add("toast-visible");
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => region.classList.remove("toast-visible"), 3200);
}

/**
 * Shows or hides an element.
 * @param {HTMLElement} element
 * @param {boolean} visible
 */
export function show(element, visible) {
  element.hidden = !visible;
}
