import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalIp,
  isInternalAddress,
  isIpAddress,
  isLoopbackAddress,
  isLoopbackHost,
  parseIPv6,
} from "./ip.ts";

describe("isInternalAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254", // cloud metadata
    "169.254.0.1",
    "100.64.0.1",
    "100.127.255.255",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.0.8",
    "198.18.0.1",
    "::",
    "::1",
    "[::1]",
    "0:0:0:0:0:0:0:1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "febf::1",
    "fec0::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "[::ffff:10.0.0.1]",
    "::ffff:169.254.169.254",
    "::ffff:0:192.168.0.1",
    "64:ff9b::10.0.0.1",
    "64:ff9b:1::1",
    "2002:7f00:1::",
    "::127.0.0.1",
    "2001:db8::1",
    "100::1",
  ])("%s is internal", (ip) => {
    expect(isInternalAddress(ip)).toBe(true);
  });

  it.each([
    "8.8.8.8",
    "52.96.0.1", // Microsoft
    "172.15.255.255",
    "172.32.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "169.253.255.255",
    "192.169.0.1",
    "11.0.0.1",
    "223.255.255.255",
    "2603:1036::1", // Microsoft
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
    "2002:0808:0808::",
    "fbff::1",
    "fe00::1",
  ])("%s is public", (ip) => {
    expect(isInternalAddress(ip)).toBe(false);
  });

  it("reads IPv4 shorthand the way a URL (and so the HTTP client) would", () => {
    expect(isInternalAddress("127.1")).toBe(true);
    expect(isInternalAddress("0x7f.0.0.1")).toBe(true);
    expect(isInternalAddress("2130706433")).toBe(true);
    expect(isInternalAddress("0177.0.0.1")).toBe(true);
  });

  it("is false for things that are not IP literals", () => {
    for (const text of [
      "",
      "localhost",
      "example.com",
      "1.2.3.4.5",
      "256.0.0.1",
      "::g",
      "1.2.3.4/8",
      "a@10.0.0.1",
    ]) {
      expect(isInternalAddress(text)).toBe(false);
    }
  });

  it("classifies every IPv4-mapped IPv6 address like the IPv4 address", () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        expect(isInternalAddress(`::ffff:${v4}`)).toBe(isInternalAddress(v4));
        expect(isLoopbackAddress(`::ffff:${v4}`)).toBe(isLoopbackAddress(v4));
      }),
    );
  });

  it("calls every private-range address internal", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, (a, b, c) => {
        expect(isInternalAddress(`10.${a}.${b}.${c}`)).toBe(true);
        expect(isInternalAddress(`172.${16 + (a % 16)}.${b}.${c}`)).toBe(true);
        expect(isInternalAddress(`192.168.${b}.${c}`)).toBe(true);
      }),
    );
  });
});

describe("isLoopbackAddress", () => {
  it("knows 127/8, ::1 and mapped loopback", () => {
    for (const ip of ["127.0.0.1", "127.9.9.9", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopbackAddress(ip)).toBe(true);
    }
    for (const ip of ["10.0.0.1", "::", "::2", "128.0.0.1", "localhost", "::ffff:10.0.0.1"]) {
      expect(isLoopbackAddress(ip)).toBe(false);
    }
  });
});

describe("isLoopbackHost", () => {
  it("adds the names that always mean this machine", () => {
    for (const host of ["localhost", "LOCALHOST", "localhost.", "app.localhost", "127.0.0.1", "::1"]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ["localhost.example.com", "mylocalhost", "10.0.0.1"]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe("canonicalIp", () => {
  it("writes addresses the way URLs do", () => {
    expect(canonicalIp("127.1")).toBe("127.0.0.1");
    expect(canonicalIp("[0:0:0:0:0:0:0:1]")).toBe("::1");
    expect(canonicalIp("FE80::1%eth0")).toBe("fe80::1");
    expect(canonicalIp("::ffff:127.0.0.1")).toBe("::ffff:7f00:1");
    expect(canonicalIp("example.com")).toBeNull();
    expect(isIpAddress("2001:db8::1")).toBe(true);
    expect(isIpAddress("contoso.webhook.office.com")).toBe(false);
  });

  it("parses IPv6 into eight groups", () => {
    expect(parseIPv6("1::")).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(parseIPv6("1.2.3.4")).toBeNull();
  });

  it("agrees with fast-check's IPv6 generator on what an address is", () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(parseIPv6(ip)).not.toBeNull();
      }),
    );
  });
});
