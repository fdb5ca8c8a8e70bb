// A value held for exactly one page view after a redirect (post/redirect/get): the LicenseSecret of
// keys just created. It travels in an encrypted, HttpOnly cookie scoped to the page that shows it and
// is deleted by that view, so reloading or going back shows it no more and creates nothing.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

const COOKIE = "herald_once";
/** Long enough for the redirect to be followed, short enough not to linger if it never is. */
const MAX_AGE_SECONDS = 120;

export interface HeldOptions {
  /** 32 bytes; every replica must use the same key (the api derives it from HERALD_SECRET). */
  key: Uint8Array;
  /** The page that shows the value: the cookie is sent to it alone. */
  path: string;
}

export function holdForOneView(c: Context, value: unknown, { key, path }: HeldOptions): void {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(path));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  setCookie(c, COOKIE, Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url"), {
    httpOnly: true,
    sameSite: "Strict",
    path,
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: MAX_AGE_SECONDS,
  });
}

/** The held value, once: the cookie is deleted whether or not it could be read. */
export function takeHeld(c: Context, { key, path }: HeldOptions): unknown {
  const raw = getCookie(c, COOKIE);
  if (raw === undefined) return undefined;
  deleteCookie(c, COOKIE, { path });
  try {
    const data = Buffer.from(raw, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, 12));
    decipher.setAAD(Buffer.from(path));
    decipher.setAuthTag(data.subarray(12, 28));
    const text = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
