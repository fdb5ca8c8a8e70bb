import type { Context } from "hono";

/** The posted form's text fields (files are not accepted anywhere in the console). */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === "string") fields[name] = value;
  return fields;
}

/** Where to go after signing in: only back into the console, never to another site. */
export function safeNext(next: string | undefined): string | undefined {
  if (!next || !/^\/console(\/|$|\?)/.test(next) || next.includes("//") || next.includes("\\"))
    return undefined;
  return next;
}
