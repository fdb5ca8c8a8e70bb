-- Send slots get an id, so a worker can move a slot's time from its reservation to Teams' answer.
ALTER TABLE channel_sends ADD COLUMN id bigserial PRIMARY KEY;
