// The Teams app package: manifest.json and its two icons, zipped at the root as Teams expects.
import { strToU8, zipSync } from "fflate";
import { colorIcon, outlineIcon } from "./icons.ts";
import { type AppPackageInput, buildManifest } from "./manifest.ts";

let icons: { color: Uint8Array; outline: Uint8Array } | undefined;

export function appPackage(input: AppPackageInput): Uint8Array {
  icons ??= { color: colorIcon(), outline: outlineIcon() };
  return zipSync({
    "manifest.json": strToU8(`${JSON.stringify(buildManifest(input), null, 2)}\n`),
    "color.png": [icons.color, { level: 0 }],
    "outline.png": [icons.outline, { level: 0 }],
  });
}
