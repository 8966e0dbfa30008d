-- The edges' shared state, kept in the database so that any instance can serve any request.

-- A Slack workspace / enterprise or a Teams tenant belongs to one school.
CREATE TABLE platform_link (
  platform     text NOT NULL CHECK (platform IN ('slack', 'teams')),
  external_id  text NOT NULL,
  school_id    integer NOT NULL REFERENCES school(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, external_id)
);

-- Who a platform user is (matched by email to a staff record), cached with an expiry.
-- staff_id NULL records "looked up, not staff" so that unknown users do not cost an API call each time.
CREATE TABLE platform_identity (
  platform      text NOT NULL,
  workspace_id  text NOT NULL,
  user_id       text NOT NULL,
  school_id     integer NOT NULL REFERENCES school(id),
  staff_id      integer REFERENCES staff(id),
  fetched_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, workspace_id, user_id)
);
CREATE INDEX platform_identity_staff ON platform_identity (staff_id) WHERE staff_id IS NOT NULL;

-- Deduplication of platform deliveries (Slack event_id and retries, Teams activity ids).
CREATE TABLE inbound_event (
  platform     text NOT NULL,
  event_key    text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, event_key)
);
CREATE INDEX inbound_event_received ON inbound_event (received_at);

-- Where to reach a member of staff proactively: a Slack user id, or a Teams conversation reference.
CREATE TABLE conversation_ref (
  platform    text NOT NULL,
  staff_id    integer NOT NULL REFERENCES staff(id),
  school_id   integer NOT NULL REFERENCES school(id),
  address     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, staff_id)
);

-- Outbound messages. A row is the promise that a message will reach a person exactly once:
-- the idempotency key makes a repeated request a no-op, and the text is rendered from the
-- subject at send time so no note text is copied into the queue.
CREATE TABLE delivery (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  school_id        integer NOT NULL REFERENCES school(id),
  staff_id         integer NOT NULL REFERENCES staff(id),
  idempotency_key  text NOT NULL UNIQUE,
  kind             text NOT NULL,
  subject          jsonb NOT NULL DEFAULT '{}'::jsonb,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'unreachable', 'failed', 'cancelled')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  platform         text,
  sent_ref         jsonb,
  not_before       timestamptz NOT NULL DEFAULT now(),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX delivery_open ON delivery (status, not_before) WHERE status IN ('pending', 'sending', 'unreachable');
CREATE INDEX delivery_staff ON delivery (staff_id, status);
