import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Session } from "./services/auth/session.ts";
import type { License } from "./services/licenses/authenticate.ts";

export interface AppEnv {
  Variables: {
    requestId: string;
    session: Session;
    license: License;
  };
}

export type App = OpenAPIHono<AppEnv>;
