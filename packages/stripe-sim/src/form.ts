// Stripe's v1 API takes application/x-www-form-urlencoded bodies with bracketed keys
// (`line_items[0][price]=price_1&metadata[tenantId]=tn_1`); this turns one back into an object.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = keyPath(key);
    if (path.length > 0) assign(root, path, value);
  }
  return toArrays(root) as FormObject;
}

/** "a[b][0]" -> ["a", "b", "0"] */
function keyPath(key: string): string[] {
  const head = key.split("[", 1)[0] ?? "";
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? "");
  return [head, ...rest];
}

function assign(target: FormObject, path: string[], value: string): void {
  let node: FormObject = target;
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined || typeof next === "string" || Array.isArray(next)) {
      const created: FormObject = {};
      node[segment] = created;
      node = created;
    } else {
      node = next;
    }
  });
}

/** Objects whose keys are all indices become arrays, as Stripe reads them. */
function toArrays(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((k) => [k, toArrays(value[k] ?? "")]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => converted[String(k)] ?? "");
  }
  return converted;
}

export function str(value: FormValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function obj(value: FormValue | undefined): FormObject {
  return value !== undefined && typeof value !== "string" && !Array.isArray(value) ? value : {};
}

export function list(value: FormValue | undefined): FormValue[] {
  return Array.isArray(value) ? value : [];
}

/** A FormObject whose leaves are all strings (metadata, meter event payloads). */
export function strings(value: FormValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === "string") out[k] = v;
  return out;
}
