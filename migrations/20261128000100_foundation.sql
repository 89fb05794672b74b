-- Foundation schema: the jurisdiction, its grid cells, the people accountable for them,
-- the land parcels to be matched, inspector flags and the append-only audit log.
-- Geometry is stored in EPSG:4326; areas are computed geodesically (geography, WGS84 spheroid).
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE regions (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  name_en     text,
  boundary    geometry(MultiPolygon, 4326) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX regions_boundary_gist ON regions USING gist (boundary);

-- Context outlines (neighbouring counties) drawn under the grid on the map; never matched against.
CREATE TABLE context_areas (
  id        serial PRIMARY KEY,
  code      text NOT NULL UNIQUE,
  name      text NOT NULL,
  boundary  geometry(MultiPolygon, 4326) NOT NULL
);

CREATE TABLE grid_cells (
  id          serial PRIMARY KEY,
  region_id   integer NOT NULL REFERENCES regions (id),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  name_en     text,
  level       smallint NOT NULL CHECK (level BETWEEN 1 AND 8),
  parent_id   integer REFERENCES grid_cells (id),
  boundary    geometry(MultiPolygon, 4326) NOT NULL,
  -- optimistic concurrency: every boundary/attribute write bumps it
  version     integer NOT NULL DEFAULT 1,
  -- merged or deleted cells are retired, never deleted, so history and codes stay answerable
  retired_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((level = 1) = (parent_id IS NULL)),
  CHECK (ST_IsValid(boundary))
);
CREATE INDEX grid_cells_boundary_gist ON grid_cells USING gist (boundary);
CREATE INDEX grid_cells_parent_idx ON grid_cells (parent_id);
CREATE INDEX grid_cells_region_level_idx ON grid_cells (region_id, level);

CREATE TABLE people (
  id            serial PRIMARY KEY,
  name          text NOT NULL,
  name_en       text,
  phone         text,
  organisation  text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_name_idx ON people (name);

-- A person's duty for a cell over a period; ends_on is the last day of duty (inclusive), NULL = open.
CREATE TABLE responsibilities (
  id          serial PRIMARY KEY,
  person_id   integer NOT NULL REFERENCES people (id),
  cell_id     integer NOT NULL REFERENCES grid_cells (id),
  role        text NOT NULL CHECK (role IN ('grid_chief', 'grid_member', 'specialist')),
  starts_on   date NOT NULL,
  ends_on     date,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX responsibilities_cell_idx ON responsibilities (cell_id, starts_on);
CREATE INDEX responsibilities_person_idx ON responsibilities (person_id);

CREATE TABLE parcels (
  id           serial PRIMARY KEY,
  region_id    integer NOT NULL REFERENCES regions (id),
  external_id  text NOT NULL UNIQUE,
  land_use     text NOT NULL CHECK (land_use IN
                 ('farmland', 'enterprise', 'construction_site', 'water', 'residential', 'road', 'other')),
  owner_name   text,
  boundary     geometry(MultiPolygon, 4326) NOT NULL,
  -- a point guaranteed inside the parcel: assigns each parcel to exactly one area in summaries
  anchor       geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(boundary)) STORED,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ST_IsValid(boundary))
);
CREATE INDEX parcels_boundary_gist ON parcels USING gist (boundary);
CREATE INDEX parcels_anchor_gist ON parcels USING gist (anchor);
CREATE INDEX parcels_region_idx ON parcels (region_id);

-- Inspector reports; the workflow arrives with the flags capability.
CREATE TABLE flags (
  id           serial PRIMARY KEY,
  category     text NOT NULL,
  description  text NOT NULL DEFAULT '',
  location     geometry(Geometry, 4326) NOT NULL,
  state        text NOT NULL DEFAULT 'reported',
  cell_id      integer REFERENCES grid_cells (id),
  reported_by  integer,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flags_location_gist ON flags USING gist (location);
CREATE INDEX flags_state_idx ON flags (state);

-- Append-only record of every change: who, when, what, before and after.
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_id     integer,
  actor_login  text,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text,
  reason       text,
  before       jsonb,
  after        jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
