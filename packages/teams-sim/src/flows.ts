// The Power Automate side of a Workflows webhook: whether its flow is on, off or deleted, and who
// may trigger it ("Anyone" with the URL's signature, or only Entra-authenticated callers of a tenant).

import { type Answer, workflowsError } from "./answers.ts";
import { type EntraDirectory, FLOW_AUDIENCE } from "./entra.ts";

export type FlowState = "on" | "off" | "deleted";

/** "Any user in my tenant" (no objectIds) or "Specific users in my tenant" (objectIds). */
export interface FlowOAuth {
  tenantId: string;
  /** Object ids (oid) allowed to trigger the flow; absent: anyone in the tenant. */
  objectIds?: string[];
  /** Default https://service.flow.microsoft.com/ (the public cloud). */
  audience?: string;
}

interface Flow {
  state: FlowState;
  oauth: FlowOAuth | null;
}

export interface BearerSeen {
  /** True when the token's signature, audience, tenant and object id all passed. */
  valid: boolean;
  tid: string | null;
  oid: string | null;
  aud: string | null;
}

export interface FlowVerdict {
  /** null: the flow lets the request through to the payload check. */
  refusal: Answer | null;
  bearer: BearerSeen | null;
}

/** The flow id of a Workflows path: `/workflows/<id>/triggers/...`. */
export function flowIdOf(pathname: string): string {
  return /\/workflows\/([^/]+)/.exec(pathname)?.[1] ?? pathname;
}

const OAUTH_REQUIRED =
  "The OAuth authorization scheme is required. Please add authentication scheme and try again.";
const SAS_ONLY = "The request must be authenticated only by Shared Access scheme.";
const CLAIMS_MISMATCH =
  "One or more claims either missing or does not match with the open authentication access control policy.";

export class FlowTable {
  readonly #flows = new Map<string, Flow>();

  constructor(private readonly entra: EntraDirectory) {}

  #flow(pathname: string): Flow {
    let flow = this.#flows.get(pathname);
    if (flow === undefined) {
      flow = { state: "on", oauth: null };
      this.#flows.set(pathname, flow);
    }
    return flow;
  }

  restrict(pathname: string, oauth: FlowOAuth): void {
    this.#flow(pathname).oauth = { ...oauth };
  }

  setState(pathname: string, state: FlowState): void {
    this.#flow(pathname).state = state;
  }

  stateOf(pathname: string): FlowState {
    return this.#flows.get(pathname)?.state ?? "on";
  }

  /** Flows are Power Automate's, not the request log's: a reset turns every flow back on. */
  reset(): void {
    for (const flow of this.#flows.values()) flow.state = "on";
  }

  /**
   * Power Automate's checks before the flow runs, in its order: the flow exists, its trigger is
   * enabled, then the caller is authorised. Synchronous for flows open to anyone (no token to check).
   */
  judge(pathname: string, authorization: string | undefined): FlowVerdict | Promise<FlowVerdict> {
    const flow = this.#flows.get(pathname);
    if (flow === undefined) return this.#open(authorization);
    const id = flowIdOf(pathname);
    if (flow.state === "deleted") {
      return {
        refusal: workflowsError(404, "WorkflowNotFound", `The workflow '${id}' could not be found.`),
        bearer: null,
      };
    }
    if (flow.state === "off") {
      return {
        refusal: workflowsError(
          400,
          "WorkflowTriggerIsNotEnabled",
          `Could not execute workflow '${id}' trigger 'manual' with state 'Disabled': trigger is not enabled.`,
        ),
        bearer: null,
      };
    }
    if (flow.oauth === null) return this.#open(authorization);
    return this.#restricted(flow.oauth, authorization);
  }

  /** A flow anyone with the URL may trigger refuses a bearer token: the signature is its only scheme. */
  #open(authorization: string | undefined): FlowVerdict {
    if (authorization === undefined || authorization === "") return { refusal: null, bearer: null };
    return {
      refusal: workflowsError(401, "DirectApiAuthorizationRequired", SAS_ONLY),
      bearer: { valid: false, tid: null, oid: null, aud: null },
    };
  }

  async #restricted(oauth: FlowOAuth, authorization: string | undefined): Promise<FlowVerdict> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    const token = match?.[1];
    if (token === undefined) {
      return { refusal: workflowsError(401, "DirectApiAuthorizationRequired", OAUTH_REQUIRED), bearer: null };
    }
    const check = await this.entra.verify(token);
    if (!check.ok) {
      return {
        refusal: workflowsError(
          401,
          "InvalidAuthenticationToken",
          `The access token is invalid: ${check.reason}.`,
        ),
        bearer: { valid: false, tid: null, oid: null, aud: null },
      };
    }
    const { tid, oid, aud } = check.claims;
    const bearer = { valid: false, tid, oid, aud };
    const audienceOk = aud === (oauth.audience ?? FLOW_AUDIENCE);
    const userOk = oauth.objectIds === undefined || oauth.objectIds.includes(oid);
    if (!audienceOk || tid !== oauth.tenantId || !userOk) {
      return { refusal: workflowsError(401, "MisMatchingOAuthClaims", CLAIMS_MISMATCH), bearer };
    }
    return { refusal: null, bearer: { ...bearer, valid: true } };
  }
}
