// The Hono environment of the api: what middleware puts on a request for the routes to read.
// (Configuration from environment variables is config.ts.)
import type { Session } from "./services/auth/session.ts";
import type { License } from "./services/licenses/authenticate.ts";

export interface AppEnv {
  Variables: {
    requestId: string;
    session: Session;
    license: License;
    /** The caller's address (see middleware/client-address); undefined for in-process calls without one. */
    clientAddress: string | undefined;
    /** Whether the caller reached Herald over https (HERALD_PUBLIC_URL, or a trusted proxy's X-Forwarded-Proto). */
    clientHttps: boolean;
  };
}
