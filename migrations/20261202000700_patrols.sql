-- Patrols (巡查): a grid member's walk, recorded on the phone (or read from a GPX file), with its track
-- points, its check-ins at supervised objects (distance, checklist, photos) and the month's figures
-- computed from them: patrol completion per cell (visits made on schedule against the visits the
-- objects' risk levels require), patrol coverage (parcels near a track) and cells with no patrol.

CREATE TABLE patrols (
  id               serial PRIMARY KEY,
  user_id          integer NOT NULL REFERENCES users (id),
  -- the person walking (the account's person), so duties and cells can be joined
  person_id        integer REFERENCES people (id),
  source           text NOT NULL CHECK (source IN ('device', 'gpx')),
  status           text NOT NULL CHECK (status IN ('active', 'ended')),
  started_at       timestamptz NOT NULL,
  ended_at         timestamptz,
  note             text CHECK (note IS NULL OR length(note) <= 1000),
  -- track points received, and those dropped by reason ({"jump": 3, "future": 1, ...})
  points_received  integer NOT NULL DEFAULT 0 CHECK (points_received >= 0),
  points_dropped   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(points_dropped) = 'object'),
  created_at       timestamptz NOT NULL,
  CHECK ((status = 'ended') = (ended_at IS NOT NULL)),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX patrols_user_idx ON patrols (user_id, started_at);
CREATE INDEX patrols_started_idx ON patrols (started_at);

-- One point per instant: a point sent twice (a retried batch) is a duplicate, never a second point.
CREATE TABLE patrol_points (
  patrol_id    integer NOT NULL REFERENCES patrols (id) ON DELETE CASCADE,
  recorded_at  timestamptz NOT NULL,
  geom         geometry(Point, 4326) NOT NULL,
  accuracy_m   real CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
  PRIMARY KEY (patrol_id, recorded_at)
);
CREATE INDEX patrol_points_geom_gist ON patrol_points USING gist (geom);
CREATE INDEX patrol_points_time_idx ON patrol_points (recorded_at);

CREATE TABLE patrol_check_ins (
  id           serial PRIMARY KEY,
  patrol_id    integer NOT NULL REFERENCES patrols (id),
  object_id    integer NOT NULL REFERENCES supervised_objects (id),
  checked_at   timestamptz NOT NULL,
  geom         geometry(Point, 4326) NOT NULL,
  accuracy_m   real CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
  -- metres from the reported position to the object (0 inside a polygon object)
  distance_m   real NOT NULL CHECK (distance_m >= 0),
  -- [{ "code": "...", "ok": true|false }] against the object type's checklist
  checklist    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(checklist) = 'array'),
  note         text CHECK (note IS NULL OR length(note) <= 2000),
  created_by   integer NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL
);
CREATE INDEX patrol_check_ins_object_idx ON patrol_check_ins (object_id, checked_at);
CREATE INDEX patrol_check_ins_patrol_idx ON patrol_check_ins (patrol_id);

CREATE TABLE patrol_check_in_photos (
  id            serial PRIMARY KEY,
  check_in_id   integer NOT NULL REFERENCES patrol_check_ins (id),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  sha256        text NOT NULL,
  filename      text,
  data          bytea NOT NULL,
  created_at    timestamptz NOT NULL,
  CHECK (octet_length(data) = size_bytes)
);
CREATE INDEX patrol_check_in_photos_idx ON patrol_check_in_photos (check_in_id);
