// A message's `source` (the workflow or microflow that sent it) is the caller's label, except for
// one prefix that Herald keeps for its own messages: those are delivered but not metered or counted
// as alerts, so a caller that could use it would hide real traffic from its statistics.

export const RESERVED_SOURCE_PREFIX = "herald:";

/** The `source` of "Test this connection" messages. */
export const CONNECTION_TEST_SOURCE = `${RESERVED_SOURCE_PREFIX}connection-test`;

/** Whether a caller-given source is one of Herald's own; compared case-blind so "Herald:" is too. */
export function isReservedSource(source: string): boolean {
  return source.trim().toLowerCase().startsWith(RESERVED_SOURCE_PREFIX);
}
