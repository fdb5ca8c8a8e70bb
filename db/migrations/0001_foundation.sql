-- Herald's foundation schema: tenants and their keys, webhooks over shared channels,
-- the message outbox, the error log and usage counters.

CREATE TABLE plans (
  name                   text PRIMARY KEY,
  display_name           text NOT NULL,
  webhook_limit          integer,           -- NULL: unlimited
  monthly_message_limit  integer,           -- NULL: unlimited
  bill_overage           boolean NOT NULL DEFAULT false,
  trial_days             integer,           -- NULL: not time-limited
  requests_per_second    integer,           -- per binding key; NULL: no throttle
  stripe_price_id        text,
  stripe_metered_price_id text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plans (name, display_name, webhook_limit, monthly_message_limit, trial_days, requests_per_second)
VALUES ('trial', 'Trial', 2, 500, 30, 10),
       ('unlimited', 'Unlimited (self-hosted)', NULL, NULL, NULL, NULL);

CREATE TABLE tenants (
  id                     text PRIMARY KEY,
  name                   text NOT NULL,
  plan                   text NOT NULL REFERENCES plans(name),
  subscription_status    text NOT NULL DEFAULT 'trialing',
  trial_ends_at          timestamptz,
  current_period_end     timestamptz,
  stripe_customer_id     text UNIQUE,
  stripe_subscription_id text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email         text NOT NULL,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE instances (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instances_tenant ON instances (tenant_id);

CREATE TABLE binding_keys (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  instance_id  text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
  name         text NOT NULL,
  license_key  text NOT NULL UNIQUE,
  secret_hash  bytea NOT NULL,               -- SHA-256 of the 256-bit secret; the secret itself is never stored
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX binding_keys_instance ON binding_keys (tenant_id, instance_id);

-- A channel is one Teams webhook URL. Teams' rate windows apply per URL, so two webhook IDs
-- (even in two tenants) that carry the same URL share one channel and one send history.
CREATE TABLE channels (
  id                       bigserial PRIMARY KEY,
  url_hash                 bytea NOT NULL UNIQUE,  -- keyed HMAC of the normalised URL
  kind                     text NOT NULL,          -- legacy | workflows
  ready_at                 timestamptz,            -- NULL: idle (nothing queued); else when it may send next
  locked_until             timestamptz,            -- worker lease
  lock_owner               text,
  paused_until             timestamptz,            -- set by a 429 from Teams
  consecutive_bad_requests integer NOT NULL DEFAULT 0,
  created_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channels_ready ON channels (ready_at) WHERE ready_at IS NOT NULL;

-- Reservation times of sends, kept for the longest rate window (24 h) and pruned after.
CREATE TABLE channel_sends (
  channel_id bigint NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  sent_at    timestamptz NOT NULL
);
CREATE INDEX channel_sends_channel_time ON channel_sends (channel_id, sent_at);

CREATE TABLE webhooks (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  instance_id     text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
  channel_id      bigint NOT NULL REFERENCES channels(id),
  name            text NOT NULL,
  description     text,
  url_ciphertext  bytea NOT NULL,               -- AES-256-GCM; the URL embeds credentials
  url_key_id      text NOT NULL,
  url_mask        text NOT NULL,
  kind            text NOT NULL,
  active          boolean NOT NULL DEFAULT true,
  disabled_reason text,
  disabled_at     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, instance_id) WHERE deleted_at IS NULL;
CREATE INDEX webhooks_channel ON webhooks (channel_id);

-- The outbox. A message is queued until a worker delivers it or gives up on it.
CREATE TABLE messages (
  id               text PRIMARY KEY,
  seq              bigserial NOT NULL,            -- FIFO order within a channel
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  instance_id      text NOT NULL,
  webhook_id       text NOT NULL REFERENCES webhooks(id),
  channel_id       bigint NOT NULL REFERENCES channels(id),
  binding_key_id   text,
  status           text NOT NULL,                 -- queued | delivered | failed
  payload          text,                          -- the final Teams JSON; NULL once purged
  payload_bytes    integer NOT NULL,
  source           text,
  idempotency_key  text,
  request_hash     bytea,
  attempts         integer NOT NULL DEFAULT 0,
  due_at           timestamptz NOT NULL DEFAULT now(),
  status_message   text NOT NULL,
  last_http_status integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz,
  finished_at      timestamptz
);
CREATE INDEX messages_channel_queue ON messages (channel_id, seq) WHERE status = 'queued';
CREATE UNIQUE INDEX messages_idempotency ON messages (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_tenant_created ON messages (tenant_id, created_at);

-- The error log: every non-success answer and every channel state change, with what Herald did.
CREATE TABLE error_log (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  instance_id text NOT NULL,
  webhook_id  text NOT NULL,
  message_id  text,
  at          timestamptz NOT NULL DEFAULT now(),
  http_status integer,
  kind        text NOT NULL,       -- e.g. "410 Invalid Webhook", "channel_reactivated"
  classification text NOT NULL,    -- gone | throttled | bad_request | transient | too_large | redirect | state
  teams_text  text,
  action      text NOT NULL
);
CREATE INDEX error_log_webhook ON error_log (tenant_id, webhook_id, id DESC);
CREATE INDEX error_log_instance ON error_log (tenant_id, instance_id, id DESC);

-- Usage counters kept on write, so statistics never scan messages.
CREATE TABLE usage_daily (
  tenant_id          text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  instance_id        text NOT NULL,
  day                date NOT NULL,
  messages_accepted  integer NOT NULL DEFAULT 0,
  messages_sent      integer NOT NULL DEFAULT 0,
  messages_failed    integer NOT NULL DEFAULT 0,
  messages_throttled integer NOT NULL DEFAULT 0,
  webhooks_added     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, instance_id, day)
);

-- The monthly message quota counter; the conditional upsert on it is what makes quotas race-free.
CREATE TABLE usage_monthly (
  tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  month     date NOT NULL,
  messages  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, month)
);
