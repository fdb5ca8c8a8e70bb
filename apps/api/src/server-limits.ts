// Limits on the listening socket against slow and greedy clients: a header block and a whole
// request must arrive in time (slowloris, slow bodies), and one address may hold only so many
// connections. The cap leaves room for sendMessage callers that wait up to 30 s for Teams: a busy
// integration platform behind one address keeps that many in flight, not thousands.
import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Connections one remote address may hold; 0 turns the cap off (behind a trusted proxy). */
  maxConnectionsPerAddress: number;
}

/** Passed to http.createServer: how often Node checks the two timeouts (its default is 30 s). */
export function serverOptions(limits: ServerLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
}

export function limitConnections(server: Server, limits: ServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  if (limits.maxConnectionsPerAddress <= 0) return;
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "";
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
