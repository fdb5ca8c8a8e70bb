// One-shot messages across a redirect (post/redirect/get): "Channel added", "Teams answered HTTP 410".
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Flash } from "./context.ts";

const FLASH_COOKIE = "herald_flash";

export function setFlash(c: Context, flash: Flash): void {
  setCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString("base64url"), {
    httpOnly: true,
    sameSite: "Lax",
    path: "/console",
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: 60,
  });
}

export function takeFlash(c: Context): Flash | null {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return null;
  deleteCookie(c, FLASH_COOKIE, { path: "/console" });
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    return isFlash(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isFlash(value: unknown): value is Flash {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.tone === "success" || v.tone === "error" || v.tone === "info") &&
    typeof v.title === "string" &&
    (v.detail === undefined || typeof v.detail === "string")
  );
}
