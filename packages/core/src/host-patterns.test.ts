import { describe, expect, it } from "vitest";
import { DEFAULT_WEBHOOK_HOSTS, invalidHostPatterns, matchHost, parseHostPatterns } from "./host-patterns.ts";

describe("parseHostPatterns", () => {
  it("trims, lowercases, and drops empties and repeats", () => {
    expect(parseHostPatterns(" *.Webhook.Office.com, ,127.0.0.1,,127.0.0.1 ")).toEqual([
      "*.webhook.office.com",
      "127.0.0.1",
    ]);
    expect(parseHostPatterns("")).toEqual([]);
  });
});

describe("DEFAULT_WEBHOOK_HOSTS", () => {
  it("lists Microsoft's legacy and Workflows hosts and nothing local", () => {
    expect(DEFAULT_WEBHOOK_HOSTS).toEqual([
      "*.webhook.office.com",
      "outlook.office.com",
      "outlook.office365.com",
      "*.logic.azure.com",
      "*.environment.api.powerplatform.com",
    ]);
    expect(invalidHostPatterns(DEFAULT_WEBHOOK_HOSTS)).toEqual([]);
  });
});

describe("matchHost", () => {
  it("matches subdomains at any depth through a wildcard, never the apex", () => {
    expect(matchHost("contoso.webhook.office.com", ["*.webhook.office.com"])).toBe("wildcard");
    expect(matchHost("a.b.webhook.office.com", ["*.webhook.office.com"])).toBe("wildcard");
    expect(matchHost("webhook.office.com", ["*.webhook.office.com"])).toBeNull();
    expect(matchHost("xwebhook.office.com", ["*.webhook.office.com"])).toBeNull();
  });

  it("prefers an exact listing over a wildcard, case-insensitively", () => {
    expect(matchHost("Outlook.Office.com", ["*.office.com", "outlook.office.com"])).toBe("explicit");
    expect(matchHost("outlook.office.com", ["*.office.com"])).toBe("wildcard");
  });

  it("compares IP literals in canonical form", () => {
    expect(matchHost("[::1]", ["::1"])).toBe("explicit");
    expect(matchHost("::1", ["[0:0:0:0:0:0:0:1]"])).toBe("explicit");
    expect(matchHost("127.0.0.1", ["127.1"])).toBe("explicit");
    expect(matchHost("127.0.0.2", ["127.0.0.1"])).toBeNull();
  });

  it("ignores empty patterns", () => {
    expect(matchHost("", [""])).toBeNull();
  });
});

describe("invalidHostPatterns", () => {
  const NEVER_MATCH = [
    "*",
    "*.",
    "**.x.com",
    "x.*.com",
    "https://x.com",
    "x.com/path",
    "x.com:99999",
    "x.com:port",
    "-x.com",
  ];
  const VALID = ["ok.com", "ok.com:443", "127.0.0.1:*", "[::1]:4010", "::1", "*.ok.com", "*.ok.com:8443"];

  it("names the patterns that can never match a host", () => {
    expect(invalidHostPatterns([...NEVER_MATCH, ...VALID])).toEqual(NEVER_MATCH);
  });
});
