-- Every state a grid cell has had, so "who was accountable here on date D" can be answered from the
-- boundaries and responsibilities of that date. Rows are written by the service on every change
-- (import, edit, retire, restore) with the service's clock; valid_to is set when the next state begins.
CREATE TABLE cell_versions (
  id          bigserial PRIMARY KEY,
  cell_id     integer NOT NULL REFERENCES grid_cells (id),
  version     integer NOT NULL,
  code        text NOT NULL,
  name        text NOT NULL,
  level       smallint NOT NULL,
  parent_id   integer REFERENCES grid_cells (id),
  boundary    geometry(MultiPolygon, 4326),
  retired     boolean NOT NULL DEFAULT false,
  valid_from  timestamptz NOT NULL,
  valid_to    timestamptz,
  changed_by  text,
  reason      text,
  UNIQUE (cell_id, version)
);
CREATE INDEX cell_versions_boundary_gist ON cell_versions USING gist (boundary);
CREATE INDEX cell_versions_cell_idx ON cell_versions (cell_id, valid_from);

-- cells that existed before this migration get their current state as version history
INSERT INTO cell_versions (cell_id, version, code, name, level, parent_id, boundary, retired, valid_from, changed_by, reason)
SELECT id, version, code, name, level, parent_id, boundary, retired_at IS NOT NULL, created_at, 'migration', 'history starts'
FROM grid_cells;
