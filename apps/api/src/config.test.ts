import { DEFAULT_WEBHOOK_HOSTS, LEGACY_CONNECTOR_POLICY } from "@herald/core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

// A secret keeps loadConfig from generating one in a data directory.
const base = { HERALD_SECRET: "config-test-secret-0123456789abcdef" };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env });

describe("HERALD_PUBLIC_URL", () => {
  it.each(["https://herald.contoso.com", "https://contoso.com/herald/", "http://127.0.0.1:3000"])(
    "accepts %s",
    (url) => {
      expect(load({ HERALD_PUBLIC_URL: url }).publicUrl).toBe(url);
    },
  );

  it.each([
    "herald.contoso.com",
    "/herald",
    "ftp://contoso.com",
    "https://contoso.com/?x=1",
    "https://contoso.com/#top",
    "https://user:pw@contoso.com",
  ])("stops start-up on %s, naming the variable", (url) => {
    expect(() => load({ HERALD_PUBLIC_URL: url })).toThrow(
      /^Invalid configuration:\n {2}HERALD_PUBLIC_URL: must be/,
    );
  });

  it("is unset when empty", () => {
    expect(load({ HERALD_PUBLIC_URL: " " }).publicUrl).toBeUndefined();
  });
});

describe("HERALD_WEBHOOK_HOSTS", () => {
  it("takes host names, *. patterns and IP literals, lowercased and without repeats", () => {
    expect(
      load({ HERALD_WEBHOOK_HOSTS: " 127.0.0.1, *.Contoso.com,teams.contoso.com,[::1],127.0.0.1" })
        .webhookHosts,
    ).toEqual(["127.0.0.1", "*.contoso.com", "teams.contoso.com", "[::1]"]);
  });

  it("defaults to Microsoft's hosts when unset or empty", () => {
    expect(load({}).webhookHosts).toEqual(DEFAULT_WEBHOOK_HOSTS);
    expect(load({ HERALD_WEBHOOK_HOSTS: "" }).webhookHosts).toEqual(DEFAULT_WEBHOOK_HOSTS);
  });

  it.each([
    ["https://teams.contoso.com", '"https://teams.contoso.com" is not a host name'],
    ["teams.contoso.com:99999", '"teams.contoso.com:99999" is not a host name'],
    ["*contoso.com,ok.com", '"*contoso.com" is not a host name'],
    ["a b.com", '"a b.com" is not a host name'],
    [",", "lists no host"],
  ])("stops start-up on %j, naming the variable and the pattern", (hosts, problem) => {
    expect(() => load({ HERALD_WEBHOOK_HOSTS: hosts })).toThrow(`HERALD_WEBHOOK_HOSTS: ${problem}`);
  });
});

describe("HERALD_LEGACY_RATE", () => {
  it("is Microsoft's connector limits unless set", () => {
    expect(load({}).legacyPolicy).toEqual(LEGACY_CONNECTOR_POLICY);
    expect(load({ HERALD_LEGACY_RATE: "4/200ms,60/6s" }).legacyPolicy).toEqual([
      { limit: 4, periodMs: 200 },
      { limit: 60, periodMs: 6000 },
    ]);
  });

  it("stops start-up on a policy it does not understand, naming the variable", () => {
    expect(() => load({ HERALD_LEGACY_RATE: "4 per second" })).toThrow(/HERALD_LEGACY_RATE: Rate window/);
  });
});
