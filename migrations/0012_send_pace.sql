-- Send pacing shared by every instance: one row per platform and scope (a Slack workspace's bot,
-- a Teams tenant) holding the next free send slot. A sender reserves a slot with one conditional
-- upsert, so instances together keep to the platform's documented rate, and after an outage the
-- backlog drains at that rate instead of bursting into 429s.
CREATE TABLE send_pace (
  platform text NOT NULL,
  scope text NOT NULL,
  next_slot timestamptz NOT NULL,
  PRIMARY KEY (platform, scope)
);
