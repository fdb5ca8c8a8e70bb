import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeBase32, formatId, ID_BYTES, IdSource } from "./ids.ts";

describe("base32", () => {
  it("encodes with Crockford's lowercase alphabet and no padding", () => {
    expect(encodeBase32(new Uint8Array([]))).toBe("");
    expect(encodeBase32(new Uint8Array([0]))).toBe("00");
    expect(encodeBase32(new Uint8Array([0xff]))).toBe("zw");
    expect(encodeBase32(new TextEncoder().encode("foobar"))).toBe("csqpyrk1e8");
    expect(encodeBase32(new Uint8Array(ID_BYTES).fill(0xff))).toHaveLength(16);
  });

  it("writes only the alphabet, 8 characters per 5 bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = encodeBase32(bytes);
        expect(text).toMatch(/^[0-9a-hjkmnp-tv-z]*$/);
        expect(text).toHaveLength(Math.ceil((bytes.length * 8) / 5));
      }),
    );
  });

  it("formatId writes prefix_base32", () => {
    expect(formatId("wh", new Uint8Array([1, 2, 3]))).toBe("wh_04106");
  });
});

describe("IdSource", () => {
  /** A random function that counts its calls and hands out consecutive byte values. */
  function counting() {
    let next = 0;
    const sizes: number[] = [];
    const random = (size: number) => {
      sizes.push(size);
      return Uint8Array.from({ length: size }, () => next++ & 0xff);
    };
    return { random, sizes };
  }

  it("makes ids of 10 random bytes: the prefix and 16 characters", () => {
    const ids = new IdSource(randomBytes);
    for (const prefix of ["wh", "msg", "ins", "ten", "bk", "usr"] as const)
      expect(ids.id(prefix)).toMatch(new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{16}$`));
  });

  it("draws id bytes 1,024 ids at a time and never hands the same bytes out twice", () => {
    const { random, sizes } = counting();
    const ids = new IdSource(random);
    const made = Array.from({ length: 2049 }, () => ids.id("msg"));
    expect(sizes).toEqual([10240, 10240, 10240]);
    expect(made[0]).toBe(
      formatId(
        "msg",
        Uint8Array.from({ length: 10 }, (_, i) => i),
      ),
    );
    expect(made[1024]).toBe(
      formatId(
        "msg",
        Uint8Array.from({ length: 10 }, (_, i) => (10240 + i) & 0xff),
      ),
    );
  });

  it("draws license values on their own: 12 bytes for a key, 32 for a secret", () => {
    const { random, sizes } = counting();
    const ids = new IdSource(random);
    ids.id("bk");
    const key = ids.licenseKey();
    const secret = ids.licenseSecret();
    expect(sizes).toEqual([10240, 12, 32]);
    expect(key).toMatch(/^hk_[0-9a-hjkmnp-tv-z]{20}$/);
    expect(secret).toMatch(/^hs_[0-9a-hjkmnp-tv-z]{52}$/);
    expect(key).toBe(`hk_${encodeBase32(Uint8Array.from({ length: 12 }, (_, i) => (10240 + i) & 0xff))}`);
  });
});
