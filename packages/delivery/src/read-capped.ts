/**
 * An answer body read to its end (undici reuses the connection only then) and kept up to `maxBytes`:
 * an endpoint that answers with more must not fill the worker's memory.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Node's web streams (a fetch Response's body) are async iterable; the DOM typings do not say so.
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const buf =
      typeof chunk === "string"
        ? Buffer.from(chunk)
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (size < maxBytes) chunks.push(buf.subarray(0, maxBytes - size));
    size += buf.length;
  }
  return Buffer.concat(chunks).toString("utf8");
}
