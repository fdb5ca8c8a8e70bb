// The Teams app manifest with Herald's connector (seed 003: a connector entry and two icon files),
// and Herald's bot when the operator configured one.
export const MANIFEST_VERSION = "1.17";
/** The current schema (1.22), for packages that carry the bot. */
export const BOT_MANIFEST_VERSION = "1.22";

export interface AppPackageInput {
  /** The connector's GUID from the Connectors Developer Dashboard; also the app's id. */
  connectorId: string;
  appName: string;
  developerName: string;
  websiteUrl: string;
  /** Where Teams reaches this Herald: https in production. */
  baseUrl: string;
  /** HERALD_BOT_APP_ID: the package then carries Herald's bot for teams (threads, updates, link codes). */
  botAppId?: string | undefined;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Problems with the input, by field; empty when it makes a valid package. */
export function checkAppPackageInput(input: AppPackageInput): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!GUID.test(input.connectorId))
    problems.connectorId =
      "Enter the connector's ID from the Connectors Developer Dashboard, a GUID like 0f8fad5b-d9cb-469f-a165-70867728950e.";
  if (!input.appName.trim() || input.appName.length > 30)
    problems.appName = "Enter a name of 1 to 30 characters.";
  if (!input.developerName.trim() || input.developerName.length > 32)
    problems.developerName = "Enter a publisher name of 1 to 32 characters.";
  if (!/^https?:\/\/[^\s]+$/.test(input.websiteUrl))
    problems.websiteUrl = "Enter a web address starting with https://.";
  return problems;
}

export function buildManifest(input: AppPackageInput) {
  const base = input.baseUrl.replace(/\/$/, "");
  const name = input.appName.trim();
  const version = input.botAppId === undefined ? MANIFEST_VERSION : BOT_MANIFEST_VERSION;
  return {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
    manifestVersion: version,
    version: "1.0.0",
    id: input.connectorId.toLowerCase(),
    developer: {
      name: input.developerName.trim(),
      websiteUrl: input.websiteUrl,
      privacyUrl: input.websiteUrl,
      termsOfUseUrl: input.websiteUrl,
    },
    name: { short: name, full: `${name}: messages from your apps` },
    description: {
      short: "Messages from your apps and workflows, delivered to this channel.",
      full: "Connect this channel to Herald: your low-code apps, scripts and workflows send messages with a webhook ID, and Herald delivers them here, within Microsoft's rate limits.",
    },
    icons: { color: "color.png", outline: "outline.png" },
    accentColor: "#4F52B2",
    connectors: [
      {
        connectorId: input.connectorId.toLowerCase(),
        configurationUrl: `${base}/teams/configure`,
        scopes: ["team"],
      },
    ],
    ...(input.botAppId === undefined
      ? {}
      : {
          bots: [
            {
              botId: input.botAppId,
              scopes: ["team"],
              isNotificationOnly: false,
              supportsFiles: false,
              commandLists: [
                {
                  scopes: ["team"],
                  commands: [
                    {
                      title: "link",
                      description: "Link this team to a Herald instance: link <code from the console>",
                    },
                  ],
                },
              ],
            },
          ],
        }),
    validDomains: [new URL(base).host],
  };
}
