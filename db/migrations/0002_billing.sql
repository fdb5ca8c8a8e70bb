-- Stripe billing: webhook events applied once, subscription bookkeeping on tenants, and overage
-- reported to Stripe Billing meter events exactly once.

-- Each Stripe event Herald has handled. It is claimed by id before it is applied, in the same
-- transaction, so a replayed or concurrently re-delivered event changes nothing.
CREATE TABLE stripe_events (
  id          text PRIMARY KEY,                 -- evt_...
  type        text NOT NULL,
  created_at  timestamptz NOT NULL,             -- the event's own time (event.created)
  received_at timestamptz NOT NULL DEFAULT now(),
  tenant_id   text REFERENCES tenants(id) ON DELETE SET NULL,
  outcome     text NOT NULL DEFAULT 'received'  -- applied | stale | ignored | unknown_customer
);

-- Stripe does not promise to deliver events in order: the time of the newest event applied to a
-- tenant lets an older one be recognised and skipped.
ALTER TABLE tenants ADD COLUMN stripe_event_at timestamptz;
ALTER TABLE tenants ADD COLUMN payment_failed_at timestamptz;

-- Overage messages reported to a Stripe meter. A row is written under the tenant's row lock before
-- it is sent, with a stable identifier; Stripe refuses a second meter event with an identifier it
-- has seen, so a retried report (by this replica or another) never bills twice.
CREATE TABLE meter_reports (
  identifier         text PRIMARY KEY,          -- tenantId:day:seq
  tenant_id          text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  month              date NOT NULL,             -- the quota month whose overage it covers
  quantity           integer NOT NULL CHECK (quantity > 0),
  stripe_customer_id text NOT NULL,
  event_name         text NOT NULL,
  occurred_at        timestamptz NOT NULL,      -- the meter event's timestamp, the same on every retry
  created_at         timestamptz NOT NULL DEFAULT now(),
  reported_at        timestamptz,               -- NULL until Stripe has acknowledged it
  attempts           integer NOT NULL DEFAULT 0,
  last_error         text
);
CREATE INDEX meter_reports_tenant_month ON meter_reports (tenant_id, month);
CREATE INDEX meter_reports_pending ON meter_reports (created_at) WHERE reported_at IS NULL;

-- The reporter looks for overage one month at a time across tenants.
CREATE INDEX usage_monthly_month ON usage_monthly (month);
