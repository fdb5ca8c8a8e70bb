-- Fixed-window request counters shared by every replica: login attempts and per-key activity throttling.
CREATE TABLE rate_counters (
  key          text NOT NULL,
  window_start timestamptz NOT NULL,
  count        integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
