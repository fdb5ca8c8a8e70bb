// Instances and their binding keys (LicenseKey + LicenseSecret).
import { z } from "@hono/zod-openapi";
import { Id, itemsOf } from "./common.ts";

export const InstanceParams = z.object({ instanceId: Id });
export const BindingKeyParams = InstanceParams.extend({ bindingKeyId: Id });

export const NameRequest = z.object({ name: z.string().trim().min(1).max(200) });
export type NameRequest = z.input<typeof NameRequest>;

export const Instance = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string() })
  .openapi("Instance");
export type Instance = z.infer<typeof Instance>;
export const InstanceList = itemsOf(Instance);
export type InstanceList = z.infer<typeof InstanceList>;

export const BindingKey = z
  .object({
    id: z.string(),
    instanceId: z.string(),
    name: z.string(),
    licenseKey: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("BindingKey");
export type BindingKey = z.infer<typeof BindingKey>;
export const BindingKeyList = itemsOf(BindingKey);
export type BindingKeyList = z.infer<typeof BindingKeyList>;

export const CreatedBindingKey = BindingKey.extend({ licenseSecret: z.string() }).openapi(
  "CreatedBindingKey",
);
export type CreatedBindingKey = z.infer<typeof CreatedBindingKey>;
