import { z } from "@hono/zod-openapi";

/** Ids in paths: Herald's own ids are short; anything longer is refused before a lookup. */
export const Id = z.string().min(1).max(64);

/** A list answer. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** A count against a plan's limit; null means no limit. */
export const Quota = z.object({ used: z.number().int(), limit: z.number().int().nullable() });
export type Quota = z.infer<typeof Quota>;

/** GET /readyz: whether this process can serve (its database reachable and migrated). */
export const Readiness = z.object({
  status: z.enum(["ready", "not_ready"]),
  reason: z.string().optional(),
  database: z.enum(["postgres", "embedded"]).optional(),
});
export type Readiness = z.infer<typeof Readiness>;
