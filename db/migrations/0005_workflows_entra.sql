-- Power Automate Workflows as the first-class path: Entra app registrations for flows restricted to a
-- tenant's users, per-webhook rate overrides, pauses that carry a reason (a turned-off flow), channel
-- health, and how a delivered message was confirmed.

-- An Entra app registration a tenant gives Herald: its client secret is encrypted like webhook URLs.
CREATE TABLE entra_apps (
  id                text PRIMARY KEY,
  tenant_id         text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  instance_id       text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
  name              text NOT NULL,
  entra_tenant_id   text NOT NULL,
  client_id         text NOT NULL,
  audience          text NOT NULL,       -- https://service.flow.microsoft.com/ in the public cloud
  secret_ciphertext bytea NOT NULL,      -- AES-256-GCM under the webhook-URL key
  secret_key_id     text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entra_apps_instance ON entra_apps (tenant_id, instance_id);

ALTER TABLE webhooks ADD COLUMN entra_app_id text REFERENCES entra_apps(id);
ALTER TABLE webhooks ADD COLUMN rate_policy text;   -- overrides the kind's default ("2/1s,100/60s"); NULL: default
CREATE INDEX webhooks_entra_app ON webhooks (entra_app_id) WHERE entra_app_id IS NOT NULL;

-- A pause with a reason (the flow is turned off, Entra refused a token) is shown on the webhook and
-- probed with backoff; a rate-limit pause has none.
ALTER TABLE channels ADD COLUMN pause_reason text;
ALTER TABLE channels ADD COLUMN pause_probes integer NOT NULL DEFAULT 0;
-- Health a tenant can read: Microsoft turns off flows after 90 days without a successful run.
ALTER TABLE channels ADD COLUMN last_success_at timestamptz;
ALTER TABLE channels ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0;

-- 'posted' (a connector confirmed the post) or 'accepted' (Power Automate accepted it for its flow).
ALTER TABLE messages ADD COLUMN confirmation text;
ALTER TABLE usage_daily ADD COLUMN messages_accepted_by_flow integer NOT NULL DEFAULT 0;
