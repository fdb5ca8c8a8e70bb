// The api's error bodies ({"error": {code, message, details: {fields}}}) as something a form can show.
import { HeraldError } from "@herald/sdk";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface Problem {
  status: number;
  code: string;
  message: string;
  /** Per-field problems of an invalid_request, keyed by field name. */
  fields: Record<string, string>;
}

export function problemFromBody(status: number, body: unknown): Problem {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const fields: Record<string, string> = {};
  const listed = (error?.details as { fields?: unknown } | undefined)?.fields;
  if (Array.isArray(listed)) {
    for (const f of listed as Array<{ field?: unknown; problem?: unknown }>) {
      if (typeof f.field === "string" && typeof f.problem === "string")
        fields[f.field] ??= sentence(f.problem);
    }
  }
  return {
    status,
    code: typeof error?.code === "string" ? error.code : "http_error",
    message: typeof error?.message === "string" ? error.message : `The server answered HTTP ${status}.`,
    fields,
  };
}

export async function problemFromResponse(res: Response): Promise<Problem> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return problemFromBody(res.status, body);
}

/** A HeraldError thrown by the SDK as a Problem; anything else is rethrown to the error page. */
export function problemFromError(error: unknown): Problem {
  if (error instanceof HeraldError) return problemFromBody(error.status, error.body);
  throw error;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The status to answer a form re-rendered with the api's complaint. */
export function problemStatus(problem: Problem): ContentfulStatusCode {
  return (problem.status >= 400 && problem.status <= 599 ? problem.status : 500) as ContentfulStatusCode;
}

/** Field errors, with complaints that are about one field (a refused URL) moved onto it. */
export function fieldProblems(
  problem: Problem,
  fieldOf: Record<string, string> = {},
): Record<string, string> {
  const fields = { ...problem.fields };
  const field = fieldOf[problem.code];
  if (field) fields[field] ??= problem.message;
  return fields;
}
