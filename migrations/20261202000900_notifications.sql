-- Notifications (the bell): one row per event and recipient user. `kind` says what happened
-- (flag_dispatched, flag_escalated, ledger_returned; reminders — deadline_soon, patrol_due — are derived
-- on read and stored only once their recipient marks them read). The subject is what the event is about
-- (a flag, a ledger entry, a supervised object); `event_key` tells apart two events of one kind on one
-- subject (an escalation of the acknowledgement limit and one of the completion limit; a ledger entry
-- returned at version 4 and again at version 7), so the unique key drops a repeated event: the same
-- event never notifies the same user twice. New kinds (rectifications, inspections) need no new column.
CREATE TABLE notifications (
  id            bigserial PRIMARY KEY,
  user_id       integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{0,39}$'),
  subject_type  text NOT NULL CHECK (subject_type ~ '^[a-z][a-z_]{0,39}$'),
  subject_id    integer NOT NULL,
  event_key     text NOT NULL CHECK (length(event_key) BETWEEN 1 AND 100),
  -- what the message needs (a code, a title, a reason), small: the bell lists it without joins
  payload       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object' AND octet_length(payload::text) <= 4000),
  created_at    timestamptz NOT NULL,
  read_at       timestamptz,
  UNIQUE (user_id, kind, subject_type, subject_id, event_key)
);
CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_user_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_created_idx ON notifications (created_at);

-- The webhook's outbox (NOTIFY_WEBHOOK_URL): a row per notification to post, written in the same
-- transaction as the notification. The delivery loop posts it, and on failure records the error and
-- the next attempt (exponential backoff); a row is finished only when delivered_at is set.
CREATE TABLE notification_deliveries (
  notification_id  bigint PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL,
  delivered_at     timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL
);
CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
