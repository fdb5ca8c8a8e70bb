import { inflateSync } from "node:zlib";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { colorIcon, outlineIcon } from "./icons.ts";
import { buildManifest, checkAppPackageInput } from "./manifest.ts";
import { appPackage } from "./package.ts";

const input = {
  connectorId: "0F8FAD5B-D9CB-469F-A165-70867728950E",
  appName: "Herald",
  developerName: "Contoso",
  websiteUrl: "https://herald.contoso.com",
  baseUrl: "https://herald.contoso.com/",
};

/** Width, height and RGBA pixels of a PNG written by encodePng (one IDAT, filter 0). */
function decode(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const idatLength = view.getUint32(33);
  expect(Buffer.from(png.subarray(37, 41)).toString()).toBe("IDAT");
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  expect(raw.length).toBe(height * (width * 4 + 1));
  const pixel = (x: number, y: number) => [
    ...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4),
  ];
  return { width, height, pixel };
}

describe("Teams app package", () => {
  it("has a manifest with the connector entry pointing at the configuration page", () => {
    const manifest = buildManifest(input);
    expect(manifest.id).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(manifest.connectors).toEqual([
      {
        connectorId: "0f8fad5b-d9cb-469f-a165-70867728950e",
        configurationUrl: "https://herald.contoso.com/teams/configure",
        scopes: ["team"],
      },
    ]);
    expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });
    expect(manifest.validDomains).toEqual(["herald.contoso.com"]);
  });

  it("carries Herald's bot for teams, in the current schema, when a bot is configured", () => {
    expect(buildManifest(input)).not.toHaveProperty("bots");
    const manifest = buildManifest({ ...input, botAppId: "9b0e5c1a-7d3f-4e2b-8a61-5f0c2d4e6b7a" });
    expect(manifest.manifestVersion).toBe("1.22");
    expect(manifest.bots).toMatchObject([
      { botId: "9b0e5c1a-7d3f-4e2b-8a61-5f0c2d4e6b7a", scopes: ["team"] },
    ]);
  });

  it("refuses what Teams would refuse, field by field", () => {
    expect(checkAppPackageInput(input)).toEqual({});
    expect(
      Object.keys(
        checkAppPackageInput({
          ...input,
          connectorId: "nope",
          appName: "",
          developerName: "x".repeat(40),
          websiteUrl: "ftp://x",
        }),
      ),
    ).toEqual(["connectorId", "appName", "developerName", "websiteUrl"]);
  });

  it("zips the manifest and two icons at the root", () => {
    const files = unzipSync(appPackage(input));
    expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(Buffer.from(files["manifest.json"] ?? new Uint8Array()).toString("utf8"));
    expect(manifest.connectors[0].connectorId).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
  });

  it("draws a 192x192 opaque colour icon and a 32x32 white-on-transparent outline icon", () => {
    const color = decode(colorIcon());
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixel(2, 2)).toEqual([0x4f, 0x52, 0xb2, 255]);
    expect(color.pixel(96, 96)).toEqual([255, 255, 255, 255]);
    const outline = decode(outlineIcon());
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.pixel(0, 0)).toEqual([255, 255, 255, 0]);
    expect(outline.pixel(16, 16)).toEqual([255, 255, 255, 255]);
  });
});
