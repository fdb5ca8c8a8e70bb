// A loopback TCP proxy that a test can cut and restore, to take PostgreSQL away from Herald
// without touching the real server.
import { createConnection, createServer, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones until up(). */
  down(): void;
  up(): void;
  /** Resets (TCP RST) the next connection whose client sends `text`, before the server sees it. */
  cutWhenClientSends(text: string): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let isUp = true;
  let cutOn: string | null = null;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!isUp) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    // Registered before the pipe's own listener, so a cut chunk never reaches the server.
    client.on("data", (chunk: Buffer) => {
      if (cutOn !== null && chunk.includes(cutOn)) {
        cutOn = null;
        upstream.destroy();
        client.resetAndDestroy();
      }
    });
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("proxy did not listen");
  return {
    port: address.port,
    down() {
      isUp = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    up() {
      isUp = true;
    },
    cutWhenClientSends(text) {
      cutOn = text;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
