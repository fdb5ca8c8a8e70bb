// Server-side formatting in one place: the browser's script later turns <time> values into local time.
// Each formatter is made on first use: building them loads ICU data (about 45 ms of a start on a
// 2-core machine), and a process that never renders a console page never needs them.
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
const numbers = lazy(() => new Intl.NumberFormat("en-US"));
const dateTime = lazy(
  () =>
    new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "UTC",
    }),
);
const dateOnly = lazy(
  () =>
    new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
);
const monthName = lazy(
  () => new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }),
);

export const formatNumber = (n: number) => numbers().format(n);
export const formatDateTime = (iso: string) => `${dateTime().format(new Date(iso))} UTC`;
export const formatDate = (iso: string) => dateOnly().format(new Date(iso));
export const formatMonth = (iso: string) => monthName().format(new Date(iso));

/** Whole days from now until `iso`, never negative. */
export function daysUntil(iso: string, now: Date): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - now.getTime()) / 86_400_000));
}
