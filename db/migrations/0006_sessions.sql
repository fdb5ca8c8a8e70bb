-- Console sessions live server-side: the signed token names a row here, so signing out, changing
-- the password or deleting the user (or its tenant, by cascade) ends it on every replica.
CREATE TABLE sessions (
  id             text PRIMARY KEY,
  user_id        text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  -- Where it was signed in from: an address that signed in to the account before gets past the
  -- per-account lockout that failures from unknown addresses trigger.
  client_address text
);
CREATE INDEX sessions_user ON sessions (user_id, created_at);

-- One-time password reset links (`herald users reset-password`); only a hash of the token is kept.
CREATE TABLE password_resets (
  token_hash bytea PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id);
