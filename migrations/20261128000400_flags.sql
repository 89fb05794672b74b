-- Inspector flags: categories with time limits, the working calendar, the workflow columns on flags,
-- the flag timeline (events), photos, and the people a flag was dispatched to.
-- Every timestamp below is written by the service with its own clock (never now()), so tests and the
-- escalation rule agree on what time it is.

-- Configurable categories; each has an acknowledgement limit and a completion limit, counted in working
-- hours or working days from dispatch. Changing a limit affects flags dispatched afterwards.
CREATE TABLE flag_categories (
  code            text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
  name_zh         text NOT NULL CHECK (length(name_zh) > 0),
  name_en         text NOT NULL CHECK (length(name_en) > 0),
  ack_limit       integer NOT NULL CHECK (ack_limit > 0),
  ack_unit        text NOT NULL CHECK (ack_unit IN ('working_hours', 'working_days')),
  complete_limit  integer NOT NULL CHECK (complete_limit > 0),
  complete_unit   text NOT NULL CHECK (complete_unit IN ('working_hours', 'working_days')),
  sort_order      smallint NOT NULL DEFAULT 100,
  active          boolean NOT NULL DEFAULT true
);

INSERT INTO flag_categories (code, name_zh, name_en, ack_limit, ack_unit, complete_limit, complete_unit, sort_order) VALUES
  ('unowned_land',               '无主地块',         'Unowned land',                1, 'working_days',  10, 'working_days',  10),
  ('overlapping_responsibility', '责任交叉',         'Overlapping responsibility',  1, 'working_days',  10, 'working_days',  20),
  ('pollution',                  '环境污染',         'Pollution',                   2, 'working_hours',  3, 'working_days',  30),
  ('dumping',                    '垃圾倾倒（暴露垃圾）', 'Dumping (exposed rubbish)',   1, 'working_hours',  4, 'working_hours', 40),
  ('burning',                    '露天焚烧',         'Open burning',                1, 'working_hours',  4, 'working_hours', 50),
  ('dust',                       '扬尘',            'Dust',                        2, 'working_hours',  1, 'working_days',  60),
  ('water',                      '水体污染',         'Water pollution',             2, 'working_hours',  3, 'working_days',  70),
  ('other',                      '其他',            'Other',                       1, 'working_days',   5, 'working_days',  80);

-- Exceptions to the weekly working pattern, by calendar day in the service time zone: a public holiday
-- on a weekday (working = false), or a make-up working day on a weekend (调休, working = true).
-- May be empty.
CREATE TABLE holidays (
  day      date PRIMARY KEY,
  name     text NOT NULL DEFAULT '',
  working  boolean NOT NULL DEFAULT false
);

ALTER TABLE flags
  ADD CONSTRAINT flags_category_fkey FOREIGN KEY (category) REFERENCES flag_categories (code),
  ADD CONSTRAINT flags_state_check CHECK (state IN
    ('reported', 'registered', 'rejected', 'dispatched', 'in_progress', 'feedback', 'closed')),
  -- optimistic concurrency: every workflow transition bumps it
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  -- a point guaranteed on the flag (the point itself, or a point on an area's surface): routes the flag
  ADD COLUMN anchor geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(location)) STORED,
  -- Routing (computed when reported, fixed when dispatched). cell_id (foundation) is the finest cell
  -- covering the anchor; accountable_cell_id the cell it goes to after the fallback rule.
  ADD COLUMN routing_rule text CHECK (routing_rule IN ('direct', 'fallback_gap', 'fallback_vacant', 'nobody')),
  ADD COLUMN routed_on date,
  ADD COLUMN unowned boolean NOT NULL DEFAULT false,
  ADD COLUMN accountable_cell_id integer REFERENCES grid_cells (id),
  ADD COLUMN township_cell_id integer REFERENCES grid_cells (id),
  -- the gap the anchor lies in: the level no cell covers and the cell whose children leave it uncovered
  ADD COLUMN missing_level smallint,
  ADD COLUMN gap_parent_cell_id integer REFERENCES grid_cells (id),
  -- workflow milestones
  ADD COLUMN registered_at timestamptz,
  ADD COLUMN rejected_at timestamptz,
  ADD COLUMN dispatched_at timestamptz,
  ADD COLUMN acknowledged_at timestamptz,
  ADD COLUMN feedback_at timestamptz,
  -- the user who gave the current feedback: may not verify it (four-eyes)
  ADD COLUMN feedback_by integer REFERENCES users (id),
  ADD COLUMN closed_at timestamptz,
  -- when the accepted (verified) feedback was given: the completion time for on-time figures
  ADD COLUMN completed_at timestamptz,
  -- time limits, fixed at dispatch from the category's limits and the working calendar
  ADD COLUMN ack_due_at timestamptz,
  ADD COLUMN complete_due_at timestamptz,
  -- escalation: once per missed limit
  ADD COLUMN ack_escalated_at timestamptz,
  ADD COLUMN complete_escalated_at timestamptz,
  ADD COLUMN escalation_level smallint NOT NULL DEFAULT 0,
  ADD COLUMN escalated_to_cell_id integer REFERENCES grid_cells (id);

CREATE INDEX flags_anchor_gist ON flags USING gist (anchor);
CREATE INDEX flags_accountable_idx ON flags (accountable_cell_id);
CREATE INDEX flags_escalated_to_idx ON flags (escalated_to_cell_id);
CREATE INDEX flags_township_idx ON flags (township_cell_id);
CREATE INDEX flags_reported_by_idx ON flags (reported_by);
CREATE INDEX flags_created_idx ON flags (created_at);
CREATE INDEX flags_category_state_idx ON flags (category, state);

-- The flag's timeline: every transition, "same as" report and escalation, with who, when and why.
CREATE TABLE flag_events (
  id           bigserial PRIMARY KEY,
  flag_id      integer NOT NULL REFERENCES flags (id),
  at           timestamptz NOT NULL,
  actor_id     integer REFERENCES users (id),
  actor_login  text NOT NULL,
  action       text NOT NULL,
  from_state   text,
  to_state     text,
  comment      text,
  details      jsonb
);
CREATE INDEX flag_events_flag_idx ON flag_events (flag_id, at, id);
CREATE INDEX flag_events_action_at_idx ON flag_events (action, at);

-- Photos stored with the flag: taken when reporting (event = the report or "same as" report) or as
-- evidence with the handler's feedback.
CREATE TABLE flag_photos (
  id            serial PRIMARY KEY,
  flag_id       integer NOT NULL REFERENCES flags (id),
  event_id      bigint REFERENCES flag_events (id),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  sha256        text NOT NULL,
  filename      text,
  data          bytea NOT NULL,
  uploaded_by   integer REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  CHECK (octet_length(data) = size_bytes)
);
CREATE INDEX flag_photos_flag_idx ON flag_photos (flag_id);

-- The responsible people a flag was dispatched to (and, on escalation, the people of the cell it was
-- escalated to), as they were at that moment: per-person assessment counts the dispatch rows.
CREATE TABLE flag_assignees (
  id           serial PRIMARY KEY,
  flag_id      integer NOT NULL REFERENCES flags (id),
  person_id    integer NOT NULL REFERENCES people (id),
  cell_id      integer NOT NULL REFERENCES grid_cells (id),
  role         text NOT NULL,
  reason       text NOT NULL CHECK (reason IN ('dispatch', 'escalation')),
  assigned_at  timestamptz NOT NULL
);
CREATE INDEX flag_assignees_flag_idx ON flag_assignees (flag_id);
CREATE INDEX flag_assignees_person_idx ON flag_assignees (person_id);
