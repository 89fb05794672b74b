-- Accountability engine: staffing rules, stored parcel matches, allowed gaps.

-- Staffing rule per level. A level without a row uses the default: a leaf cell needs exactly one
-- grid chief and at least one grid member; a cell with children needs exactly one grid chief.
CREATE TABLE staffing_rules (
  level            smallint PRIMARY KEY CHECK (level BETWEEN 1 AND 8),
  chiefs_required  smallint NOT NULL CHECK (chiefs_required >= 0),
  members_required smallint NOT NULL CHECK (members_required >= 0)
);

-- Staffing as of a date of the given cells (ids NULL = every cell): vacant (nobody), understaffed
-- (rule not met), staffed. Retired cells are included so questions about past dates can be answered.
CREATE FUNCTION cell_staffing_of(ids integer[], at_date date)
RETURNS TABLE (cell_id integer, chiefs integer, members integer, specialists integer,
               people integer, is_leaf boolean, status text)
LANGUAGE sql STABLE AS $$
  WITH counts AS (
    SELECT c.id, c.level,
           NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL) AS is_leaf,
           count(r.id) FILTER (WHERE r.role = 'grid_chief')::int  AS chiefs,
           count(r.id) FILTER (WHERE r.role = 'grid_member')::int AS members,
           count(r.id) FILTER (WHERE r.role = 'specialist')::int  AS specialists,
           count(DISTINCT r.person_id)::int AS people
    FROM grid_cells c
    LEFT JOIN responsibilities r
      ON r.cell_id = c.id AND r.starts_on <= at_date AND (r.ends_on IS NULL OR r.ends_on >= at_date)
    WHERE ids IS NULL OR c.id = ANY(ids)
    GROUP BY c.id, c.level
  )
  SELECT k.id, k.chiefs, k.members, k.specialists, k.people, k.is_leaf,
         CASE
           WHEN k.people = 0 THEN 'vacant'
           WHEN k.chiefs = COALESCE(s.chiefs_required, 1)
            AND k.members >= COALESCE(s.members_required, CASE WHEN k.is_leaf THEN 1 ELSE 0 END)
             THEN 'staffed'
           ELSE 'understaffed'
         END
  FROM counts k LEFT JOIN staffing_rules s ON s.level = k.level
$$;

CREATE FUNCTION cell_staffing(at_date date)
RETURNS TABLE (cell_id integer, chiefs integer, members integer, specialists integer,
               people integer, is_leaf boolean, status text)
LANGUAGE sql STABLE AS $$
  SELECT * FROM cell_staffing_of(NULL, at_date)
$$;

-- Who answers for the given cells (ids NULL = every cell) as of a date: the cell itself unless it is
-- vacant; a vacant cell's duty passes up (territorial fallback, 属地兜底) to the nearest staffed
-- ancestor, or failing that the nearest ancestor with anyone at all. Only the cells asked about and
-- their ancestors are counted, so a point lookup costs a few index probes, not a pass over the grid.
CREATE FUNCTION cell_accountability_of(ids integer[], at_date date)
RETURNS TABLE (cell_id integer, status text, accountable_cell_id integer)
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE chain AS (
    SELECT c.id, c.parent_id FROM grid_cells c WHERE ids IS NULL OR c.id = ANY(ids)
    UNION
    SELECT a.id, a.parent_id FROM grid_cells a JOIN chain ON a.id = chain.parent_id
  ),
  staff AS (
    SELECT s.* FROM cell_staffing_of(CASE WHEN ids IS NULL THEN NULL ELSE ARRAY(SELECT id FROM chain) END, at_date) s
  ),
  up AS (
    SELECT c.id AS cell_id, c.parent_id AS ancestor_id, 1 AS depth
    FROM chain c JOIN staff s ON s.cell_id = c.id
    WHERE s.status = 'vacant' AND c.parent_id IS NOT NULL
    UNION ALL
    SELECT up.cell_id, a.parent_id, up.depth + 1
    FROM up JOIN chain a ON a.id = up.ancestor_id
    WHERE a.parent_id IS NOT NULL
  )
  SELECT s.cell_id, s.status,
         CASE WHEN s.status <> 'vacant' THEN s.cell_id ELSE (
           SELECT up.ancestor_id FROM up JOIN staff a ON a.cell_id = up.ancestor_id
           WHERE up.cell_id = s.cell_id AND a.status <> 'vacant'
           ORDER BY (a.status = 'staffed') DESC, up.depth
           LIMIT 1) END
  FROM staff s
  WHERE ids IS NULL OR s.cell_id = ANY(ids)
$$;

CREATE FUNCTION cell_accountability(at_date date)
RETURNS TABLE (cell_id integer, status text, accountable_cell_id integer)
LANGUAGE sql STABLE AS $$
  SELECT * FROM cell_accountability_of(NULL, at_date)
$$;

-- The geometric match of each parcel against the leaf cells (cells with no active children).
-- Staffing-dependent status (inherited) is derived at read time from cell_staffing(date), so a
-- responsibility starting or ending never leaves a stale stored status behind.
CREATE TABLE parcel_matches (
  parcel_id          integer PRIMARY KEY REFERENCES parcels (id) ON DELETE CASCADE,
  -- the leaf cell with the largest share of the parcel (ties: lowest code); NULL when no leaf touches it
  cell_id            integer REFERENCES grid_cells (id),
  placement          text NOT NULL CHECK (placement IN ('inside', 'straddling', 'uncovered')),
  -- [{ "cellId": n, "areaM2": x }] for every leaf cell sharing more than the tolerance
  shares             jsonb NOT NULL DEFAULT '[]',
  parcel_area_m2     double precision NOT NULL,
  uncovered_area_m2  double precision NOT NULL,
  matched_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parcel_matches_cell_idx ON parcel_matches (cell_id);
CREATE INDEX parcel_matches_placement_idx ON parcel_matches (placement);

-- Known, accepted gaps (a reservoir, a military zone managed by someone else): reported, not defects.
CREATE TABLE allowed_gaps (
  id          serial PRIMARY KEY,
  cell_id     integer NOT NULL REFERENCES grid_cells (id),
  boundary    geometry(MultiPolygon, 4326) NOT NULL,
  reason      text NOT NULL CHECK (length(reason) > 0),
  created_by  integer REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowed_gaps_boundary_gist ON allowed_gaps USING gist (boundary);
