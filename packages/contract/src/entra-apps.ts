// Entra app registrations: what Herald uses to call flows restricted to a tenant's users.
import { z } from "@hono/zod-openapi";
import { Id, itemsOf } from "./common.ts";

const Guid = z
  .string()
  .trim()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47",
  );

export const EntraAppParams = z.object({ entraAppId: Id });

export const CreateEntraAppRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    tenantId: z.union([
      Guid,
      z
        .string()
        .trim()
        .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, "must be a tenant GUID or domain"),
    ]),
    clientId: Guid,
    clientSecret: z.string().min(1).max(1024),
    audience: z.string().url().max(200).optional().openapi({
      description:
        "Power Automate's audience; default https://service.flow.microsoft.com/ (GCC: https://gov.service.flow.microsoft.us/).",
    }),
  })
  .strict();
export type CreateEntraAppRequest = z.input<typeof CreateEntraAppRequest>;

export const EntraApp = z
  .object({
    id: z.string(),
    instanceId: z.string(),
    name: z.string(),
    tenantId: z.string().openapi({ description: "The Microsoft Entra tenant (directory) id." }),
    clientId: z.string(),
    audience: z.string(),
    createdAt: z.string(),
  })
  .openapi("EntraApp");
export type EntraApp = z.infer<typeof EntraApp>;
export const EntraAppList = itemsOf(EntraApp);
export type EntraAppList = z.infer<typeof EntraAppList>;
