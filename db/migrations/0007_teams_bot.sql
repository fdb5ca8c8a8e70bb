-- Herald's Teams bot: the teams it is installed in, their channels, which instance each team is
-- linked to, single-use link codes, bot webhooks (a Teams channel instead of a URL), what Teams
-- called each bot message, and the per-Teams-tenant rate window.

-- Teams as the Bot Connector reports them. A team belongs to no Herald tenant until someone in it
-- posts a link code, so these rows are global; everything a tenant reads goes through team_links.
CREATE TABLE bot_teams (
  id              text PRIMARY KEY,            -- "19:…@thread.tacv2" (also the General channel's id)
  teams_tenant_id text NOT NULL,               -- the Entra tenant the team belongs to
  name            text,
  service_url     text NOT NULL,               -- where its Bot Connector is; refreshed from every activity
  installed       boolean NOT NULL DEFAULT true,
  installed_at    timestamptz NOT NULL DEFAULT now(),
  uninstalled_at  timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bot_team_channels (
  team_id    text NOT NULL REFERENCES bot_teams(id) ON DELETE CASCADE,
  channel_id text NOT NULL,
  name       text,                              -- NULL: the General channel (Teams gives it no name)
  deleted_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, channel_id)
);

CREATE TABLE team_links (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  instance_id text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
  team_id     text NOT NULL REFERENCES bot_teams(id),
  linked_by   text,                             -- the Teams user's Entra object id
  linked_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, instance_id, team_id)
);
CREATE INDEX team_links_team ON team_links (team_id);

-- Single use, 30 minutes. Only a keyed hash is kept: whoever holds the code can link a team.
CREATE TABLE team_link_codes (
  code_hash    bytea PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  instance_id  text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  used_by_team text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_link_codes_instance ON team_link_codes (tenant_id, instance_id);

-- A bot webhook names a Teams channel and has no URL to encrypt.
ALTER TABLE webhooks ALTER COLUMN url_ciphertext DROP NOT NULL;
ALTER TABLE webhooks ALTER COLUMN url_key_id DROP NOT NULL;
ALTER TABLE webhooks ADD COLUMN teams_team_id text;
ALTER TABLE webhooks ADD COLUMN teams_channel_id text;
CREATE INDEX webhooks_teams_team ON webhooks (teams_team_id) WHERE teams_team_id IS NOT NULL;

-- What Teams called a posted bot message, so replies, updates and deletes can name it.
CREATE TABLE bot_messages (
  message_id       text PRIMARY KEY,           -- the Herald message that posted it
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  webhook_id       text NOT NULL,
  teams_channel_id text NOT NULL,
  activity_id      text,                        -- NULL: Teams posted it without naming it
  root_activity_id text NOT NULL,               -- the thread's root (its own id for a new thread)
  posted_at        timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz,
  deleted_at       timestamptz
);
CREATE INDEX bot_messages_tenant ON bot_messages (tenant_id, posted_at);

-- 50 requests per second per app per Teams tenant, across every channel and replica: a row per
-- Teams tenant to lock while one slot is reserved, and the recent slot times.
CREATE TABLE bot_tenant_windows (
  teams_tenant_id text PRIMARY KEY
);
CREATE TABLE bot_tenant_sends (
  teams_tenant_id text NOT NULL,
  sent_at         timestamptz NOT NULL
);
CREATE INDEX bot_tenant_sends_time ON bot_tenant_sends (teams_tenant_id, sent_at);
