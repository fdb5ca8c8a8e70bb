// The rule for plan names, shared by the operator API (a path segment), `herald plans put` and the
// service behind both. Names are kept to what is safe unquoted in a URL, a shell and Stripe metadata.

export const PLAN_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The rule in words, for the error a person reads when a name breaks it. */
export const PLAN_NAME_RULE =
  "use lowercase letters, digits, - and _ (starting with a letter or digit, at most 63 characters)";

export function isPlanName(name: string): boolean {
  return PLAN_NAME_PATTERN.test(name);
}
