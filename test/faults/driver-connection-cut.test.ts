// The database connection is cut in the middle of a transaction. postgres.js 3.4.9 defers small
// writes to a setImmediate; when the socket closed first, that deferred write dereferenced a null
// socket and threw from the immediate, out of reach of any await, ending the process (upstream
// porsager/postgres#1154, #1208). patches/postgres+3.4.9.patch makes the write reject the query
// with CONNECTION_CLOSED and clears the pending write on close, so the connection can be reused.
// A connection that dies while the driver reads the server's array types (its first statement on
// every new connection) rejected a promise nobody held, which also ends the process
// (porsager/postgres#1192, #1205, #1223); the patch catches it.
import postgres from "postgres";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);

describe("database connection cut mid-transaction", () => {
  let proxy: TcpProxy;
  let sql: postgres.Sql;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);

  beforeEach(async () => {
    const real = new URL(inject("databaseUrl"));
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const proxied = new URL(real.href);
    proxied.port = String(proxy.port);
    sql = postgres(proxied.href, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    uncaught.length = 0;
    unhandled.length = 0;
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onUnhandled);
  });

  afterEach(async () => {
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUnhandled);
    await sql.end({ timeout: 1 });
    await proxy.close();
  });

  /** The connection comes back, and the answer is this query's own: nothing of the dead session leaks in. */
  async function expectRecovered(round: number) {
    proxy.up();
    const [row] = await within(sql<{ n: number }[]>`SELECT ${round}::int AS n`, 5000, "query after recovery");
    expect(row?.n).toBe(round);
  }

  async function expectNothingEscaped() {
    // Give any deferred write a turn to run before judging.
    await new Promise((resolve) => setImmediate(resolve));
    expect(uncaught).toEqual([]);
  }

  it("a statement issued after the cut rejects with CONNECTION_CLOSED and the pool recovers", async () => {
    for (let round = 0; round < 5; round++) {
      let afterCut: Promise<unknown> | undefined;
      const transaction = sql.begin(async (tx) => {
        await tx`SELECT 1`;
        proxy.down();
        // Let the driver see the close before the next statement is written.
        await new Promise((resolve) => setTimeout(resolve, 50));
        afterCut = tx`SELECT ${round}::int AS n`;
        await afterCut;
      });
      await expect(within(transaction, 5000, `transaction, round ${round}`)).rejects.toMatchObject({
        code: "CONNECTION_CLOSED",
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(afterCut).toBeDefined();
      await expect(
        within(afterCut as Promise<unknown>, 5000, `statement after the cut, round ${round}`),
      ).rejects.toMatchObject({
        code: "CONNECTION_CLOSED",
      });
      await expectRecovered(round);
    }
    await expectNothingEscaped();
  });

  it("cuts racing a deferred write settle every statement and throw nothing", async () => {
    // The write and the close land in the same turn of the event loop, in either order.
    for (let round = 0; round < 40; round++) {
      const transaction = sql.begin(async (tx) => {
        await tx`SELECT 1`;
        const next = tx`SELECT ${round}::int AS n`;
        if (round % 2 === 0) setImmediate(() => proxy.down());
        else proxy.down();
        await next;
      });
      await within(transaction, 5000, `transaction, round ${round}`).catch((error: { code?: string }) => {
        expect(error.code).toBe("CONNECTION_CLOSED");
      });
      await expectRecovered(round);
    }
    await expectNothingEscaped();
  });

  it("a connection cut while the driver reads the array types leaves no unhandled rejection", async () => {
    for (let round = 0; round < 3; round++) {
      await sql.end({ timeout: 1 });
      const real = new URL(inject("databaseUrl"));
      const proxied = new URL(real.href);
      proxied.port = String(proxy.port);
      sql = postgres(proxied.href, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      proxy.cutWhenClientSends("typcategory");
      // The statement that opened the connection fails with it or is served after a reconnect.
      await within(sql`SELECT 1 AS n`, 5000, `first statement, round ${round}`).catch(() => undefined);
      await expectRecovered(round);
      // A rejection nobody held is reported a turn later.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    }
    await expectNothingEscaped();
  });
});
