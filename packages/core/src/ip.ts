// IP literal classification: which addresses a webhook must never reach unless an operator says so.

type V4 = readonly [number, number, number, number];
type V6 = readonly [number, number, number, number, number, number, number, number];

// Parsing goes through the WHATWG URL parser, the same one fetch uses to decide where to connect,
// so "127.1", "0x7f.0.0.1" and "::ffff:127.0.0.1" are read here exactly as the HTTP client would.
function hostnameOf(hostText: string): string | null {
  try {
    return new URL(`http://${hostText}/`).hostname;
  } catch {
    return null;
  }
}

function unbracket(text: string): string {
  return text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
}

function parseIPv4(text: string): V4 | null {
  if (!/^[0-9a-fA-FxX.]+$/.test(text)) return null;
  const host = hostnameOf(text);
  const parts = host?.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (!parts) return null;
  return [Number(parts[1]), Number(parts[2]), Number(parts[3]), Number(parts[4])];
}

export function parseIPv6(text: string): V6 | null {
  // A zone ("fe80::1%eth0") names an interface, not a different address.
  const address = unbracket(text).replace(/%.*$/, "");
  if (!/^[0-9a-fA-F:.]+$/.test(address) || !address.includes(":")) return null;
  const host = hostnameOf(`[${address}]`);
  if (host === null) return null;
  // The serialiser always gives lowercase hex groups with at most one "::".
  const [head = "", tail] = unbracket(host).split("::");
  const toGroups = (s: string) => (s === "" ? [] : s.split(":").map((g) => Number.parseInt(g, 16)));
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = [...left, ...zeros, ...right];
  return [a, b, c, d, e, f, g, h];
}

/** The canonical text of an IP literal ("127.0.0.1", "::1"), or null when `text` is not one. */
export function canonicalIp(text: string): string | null {
  const bare = unbracket(text);
  if (parseIPv4(bare) !== null) return hostnameOf(bare);
  if (parseIPv6(bare) !== null) return unbracket(hostnameOf(`[${bare.replace(/%.*$/, "")}]`) ?? "");
  return null;
}

export function isIpAddress(text: string): boolean {
  return canonicalIp(text) !== null;
}

const toUint32 = ([a, b, c, d]: V4) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

function inV4Range(ip: V4, base: V4, prefix: number): boolean {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (toUint32(ip) & mask) >>> 0 === (toUint32(base) & mask) >>> 0;
}

// IANA's IPv4 special-purpose registry, entries that are not globally reachable, plus multicast.
const V4_INTERNAL: ReadonlyArray<readonly [V4, number]> = [
  [[0, 0, 0, 0], 8], // "this network", including the unspecified address
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16], // link-local, home of cloud metadata services (169.254.169.254)
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, and the broadcast address
];

function isInternalV4(ip: V4): boolean {
  return V4_INTERNAL.some(([base, prefix]) => inV4Range(ip, base, prefix));
}

/** The IPv4 address carried in the last 32 bits of an IPv6 address. */
function lastV4(ip: V6): V4 {
  return [ip[6] >> 8, ip[6] & 0xff, ip[7] >> 8, ip[7] & 0xff];
}

function startsWith(ip: V6, groups: readonly number[]): boolean {
  return groups.every((g, i) => ip[i] === g);
}

/** An IPv4 address the IPv6 address stands for (mapped, translated, NAT64, 6to4), if any. */
function embeddedV4(ip: V6): V4 | null {
  if (startsWith(ip, [0, 0, 0, 0, 0, 0xffff])) return lastV4(ip); // ::ffff:a.b.c.d
  if (startsWith(ip, [0, 0, 0, 0, 0xffff, 0])) return lastV4(ip); // ::ffff:0:a.b.c.d
  if (startsWith(ip, [0x64, 0xff9b, 0, 0, 0, 0])) return lastV4(ip); // 64:ff9b::/96
  if (ip[0] === 0x2002) return [ip[1] >> 8, ip[1] & 0xff, ip[2] >> 8, ip[2] & 0xff]; // 6to4
  return null;
}

function isInternalV6(ip: V6): boolean {
  const v4 = embeddedV4(ip);
  if (v4 !== null) return isInternalV4(v4);
  const [first = 0] = ip;
  return (
    startsWith(ip, [0, 0, 0, 0, 0, 0]) || // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
    startsWith(ip, [0x64, 0xff9b, 1]) || // local-use NAT64
    startsWith(ip, [0x100, 0, 0, 0]) || // discard-only
    startsWith(ip, [0x2001, 0xdb8]) || // documentation
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xffc0) === 0xfec0 || // site-local fec0::/10 (deprecated)
    (first & 0xff00) === 0xff00 // multicast
  );
}

/**
 * True for IP literals that are loopback, private, link-local, CGNAT, unspecified, multicast or
 * otherwise not globally reachable, including IPv6 forms that carry such an IPv4 address.
 * False for anything that is not an IP literal (host names are resolved elsewhere).
 */
export function isInternalAddress(ip: string): boolean {
  const bare = unbracket(ip);
  const v4 = parseIPv4(bare);
  if (v4 !== null) return isInternalV4(v4);
  const v6 = parseIPv6(bare);
  return v6 !== null && isInternalV6(v6);
}

/** 127.0.0.0/8, ::1, and IPv4-mapped forms of 127.0.0.0/8. */
export function isLoopbackAddress(ip: string): boolean {
  const bare = unbracket(ip);
  const v4 = parseIPv4(bare);
  if (v4 !== null) return v4[0] === 127;
  const v6 = parseIPv6(bare);
  if (v6 === null) return false;
  if (startsWith(v6, [0, 0, 0, 0, 0, 0, 0, 1])) return true;
  return startsWith(v6, [0, 0, 0, 0, 0, 0xffff]) && v6[6] >> 8 === 127;
}

/** A loopback address, or a name that always means this machine ("localhost", "*.localhost", RFC 6761). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost") || isLoopbackAddress(name);
}
