-- Performance: a subdivided copy of the active grid cells, used by parcel matching and point lookups.
--
-- Every active cell's boundary is cut into pieces of at most 256 vertices (ST_Subdivide; a cell with
-- fewer vertices is one piece, equal to its boundary). The GiST index over the pieces answers "which
-- cells does this parcel or point touch" with small bounding boxes and cheap exact tests even for
-- cells with thousands of vertices, and `is_leaf` lets matching skip every cell that has children
-- without an anti-join per hit. Triggers on grid_cells keep it exact: any insert, boundary or
-- hierarchy change, retirement or restore rewrites the cell's pieces and refreshes its parents'
-- leaf flags, in the same transaction.
CREATE TABLE grid_cells_subdivided (
  cell_id  integer NOT NULL REFERENCES grid_cells (id) ON DELETE CASCADE,
  code     text NOT NULL,
  level    smallint NOT NULL,
  is_leaf  boolean NOT NULL,
  geom     geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX grid_cells_subdivided_geom_gist ON grid_cells_subdivided USING gist (geom);
CREATE INDEX grid_cells_subdivided_cell_idx ON grid_cells_subdivided (cell_id);

CREATE FUNCTION grid_cells_subdivided_refresh_leaf(parent integer) RETURNS void LANGUAGE sql AS $$
  UPDATE grid_cells_subdivided s
  SET is_leaf = NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = parent AND k.retired_at IS NULL)
  WHERE s.cell_id = parent
    AND s.is_leaf IS DISTINCT FROM NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = parent AND k.retired_at IS NULL)
$$;

CREATE FUNCTION grid_cells_subdivided_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM grid_cells_subdivided WHERE cell_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.retired_at IS NULL THEN
    INSERT INTO grid_cells_subdivided (cell_id, code, level, is_leaf, geom)
    SELECT NEW.id, NEW.code, NEW.level,
           NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = NEW.id AND k.retired_at IS NULL),
           piece
    FROM ST_Subdivide(NEW.boundary, 256) AS piece
    WHERE GeometryType(piece) = 'POLYGON';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.parent_id IS NOT NULL THEN
    PERFORM grid_cells_subdivided_refresh_leaf(OLD.parent_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.parent_id IS NOT NULL
     AND (TG_OP = 'INSERT' OR NEW.parent_id IS DISTINCT FROM OLD.parent_id OR NEW.retired_at IS DISTINCT FROM OLD.retired_at) THEN
    PERFORM grid_cells_subdivided_refresh_leaf(NEW.parent_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER grid_cells_subdivided_sync
  AFTER INSERT OR DELETE OR UPDATE OF boundary, retired_at, parent_id, code, level ON grid_cells
  FOR EACH ROW EXECUTE FUNCTION grid_cells_subdivided_sync();

INSERT INTO grid_cells_subdivided (cell_id, code, level, is_leaf, geom)
SELECT c.id, c.code, c.level,
       NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL),
       piece
FROM grid_cells c CROSS JOIN LATERAL ST_Subdivide(c.boundary, 256) AS piece
WHERE c.retired_at IS NULL AND GeometryType(piece) = 'POLYGON';
