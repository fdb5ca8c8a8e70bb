-- Error-log entries are named by a random id in the API (and used as the page cursor): the
-- bigserial counts every tenant's entries, so handing it out told each tenant the platform's volume.
ALTER TABLE error_log ADD COLUMN public_id text NOT NULL
  DEFAULT 'el_' || replace(gen_random_uuid()::text, '-', '');
CREATE UNIQUE INDEX error_log_public_id ON error_log (tenant_id, public_id);
