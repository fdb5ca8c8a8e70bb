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

/**
 * Passed to http.createServer: how often Node checks the two timeouts (its default is 30 s), and
 * 8 KB of headers at most (Node's default is 16 KB): nothing Herald reads comes near it, and
 * Node's parser refuses a larger header block (431) before any JavaScript runs for it.
 */
export function serverOptions(limits: ServerLimits) {
  return {
    maxHeaderSize: 8 * 1024,
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
