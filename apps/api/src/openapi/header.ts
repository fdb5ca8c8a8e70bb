// The OpenAPI document's own fields, shared by /openapi.json and the Swagger 2.0 derived from it.

/** The document's own fields: who serves it, where, under what terms, and what its tags mean. */
export function openApiHeader(publicUrl: string | undefined) {
  const base = publicUrl?.replace(/\/$/, "");
  return {
    openapi: "3.1.0",
    info: {
      title: "Herald",
      version: "0.1.0",
      description:
        'Metered, multi-tenant delivery of messages to Microsoft Teams channels. Every error answers `{"error": {"code", "message", "requestId"}}`; the codes are listed at /docs#error-codes.',
      // Herald is run by an operator for their tenants: they are the contact for this document.
      contact: { name: "The operator of this Herald", ...(base ? { url: `${base}/docs` } : {}) },
      // No open-source licence is granted; SPDX spells a licence of one's own with LicenseRef-.
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    // Relative when HERALD_PUBLIC_URL is not set: the document is served by the Herald it describes.
    servers: [{ url: base ?? "/", description: "This Herald" }],
    tags: [
      {
        name: "Activity",
        description:
          "What a low-code platform, a script or the SDK calls with a binding key (LicenseKey and LicenseSecret): sendMessage, message status, license validation.",
      },
      {
        name: "Console",
        description:
          "What the web console calls with a session: sign-in, instances, binding keys, webhooks, the error log and usage.",
      },
      { name: "Billing", description: "Plans and subscriptions through Stripe, when it is configured." },
      {
        name: "Teams bot",
        description: "The Teams bot's messaging endpoint, called by Microsoft's Bot Connector.",
      },
      {
        name: "Operator",
        description: "The operator's API, enabled by HERALD_ADMIN_TOKEN: plans and tenants.",
      },
    ],
  };
}
