import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeBase32,
  encodeBase32,
  formatId,
  formatLicenseKey,
  formatLicenseSecret,
  ID_BYTES,
  ID_PREFIXES,
  isWellFormedId,
  LICENSE_KEY_PREFIX,
  LICENSE_SECRET_PREFIX,
} from "./ids.ts";

describe("base32", () => {
  it("encodes with Crockford's lowercase alphabet and no padding", () => {
    expect(encodeBase32(new Uint8Array([]))).toBe("");
    expect(encodeBase32(new Uint8Array([0]))).toBe("00");
    expect(encodeBase32(new Uint8Array([0xff]))).toBe("zw");
    expect(encodeBase32(new TextEncoder().encode("foobar"))).toBe("csqpyrk1e8");
    expect(encodeBase32(new Uint8Array(ID_BYTES).fill(0xff))).toHaveLength(26);
  });

  it("round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = encodeBase32(bytes);
        expect(text).toMatch(/^[0-9a-hjkmnp-tv-z]*$/);
        expect(decodeBase32(text)).toEqual(bytes);
      }),
    );
  });

  it("refuses non-canonical text", () => {
    expect(decodeBase32("zz")).toBeNull(); // stray low bits
    expect(decodeBase32("000")).toBeNull(); // impossible length
    expect(decodeBase32("0i")).toBeNull(); // not in the alphabet
    expect(decodeBase32("ZW")).toBeNull(); // ids are lowercase
  });
});

describe("formatId and isWellFormedId", () => {
  it("writes prefix_base32", () => {
    expect(formatId("wh", new Uint8Array([1, 2, 3]))).toBe("wh_04106");
    expect(formatLicenseKey(new Uint8Array([0xff]))).toBe("hk_zw");
    expect(formatLicenseSecret(new Uint8Array([0xff]))).toBe("hs_zw");
    expect(LICENSE_KEY_PREFIX).toBe("hk_");
    expect(LICENSE_SECRET_PREFIX).toBe("hs_");
  });

  it("accepts every id it formats, for every prefix", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ID_PREFIXES),
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        (prefix, bytes) => {
          expect(isWellFormedId(prefix, formatId(prefix, bytes))).toBe(true);
        },
      ),
    );
    expect(isWellFormedId("hk", formatLicenseKey(new Uint8Array(24)))).toBe(true);
  });

  it.each([
    ["wh", ""],
    ["wh", "wh_"],
    ["wh", "msg_04106"],
    ["wh", "wh04106"],
    ["wh", "WH_04106"],
    ["wh", "wh_041O6"],
    ["wh", "wh_041061"],
    ["wh", "wh_zz"],
    ["wh", " wh_04106"],
    ["wh", "wh_04106/../x"],
    ["wh", `wh_${"0".repeat(200)}`],
    ["w_h", "w_h_04106"],
    ["", "_04106"],
  ])("refuses %s id %j", (prefix, id) => {
    expect(isWellFormedId(prefix, id)).toBe(false);
  });
});
