// Herald's Teams bot in the console: a code to link a team, and the linked teams with their channels.
import { z } from "@hono/zod-openapi";

export const TeamLink = z
  .object({
    code: z.string().openapi({ example: "K7QX-M2PD" }),
    expiresAt: z.string(),
    command: z
      .string()
      .openapi({ description: "What to post in any channel of the team", example: "@Herald link K7QX-M2PD" }),
  })
  .openapi("TeamLink");
export type TeamLink = z.infer<typeof TeamLink>;

export const LinkedTeam = z
  .object({
    teamId: z.string(),
    name: z.string().nullable(),
    teamsTenantId: z.string(),
    installed: z.boolean(),
    linkedAt: z.string(),
    channels: z.array(
      z.object({
        channelId: z.string(),
        name: z.string().openapi({ description: "The General channel is named General" }),
      }),
    ),
  })
  .openapi("LinkedTeam");
export type LinkedTeam = z.infer<typeof LinkedTeam>;

export const LinkedTeamList = z.object({ items: z.array(LinkedTeam) });
export type LinkedTeamList = z.infer<typeof LinkedTeamList>;
