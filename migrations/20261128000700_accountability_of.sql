-- cell_accountability for some cells only: the same rule (migration 20261128000300) evaluated over the
-- given cells and their ancestors rather than every cell, so a point lookup costs a few index probes
-- instead of a pass over the whole grid: staffing is counted for the chain's cells only.
CREATE FUNCTION cell_accountability_of(ids integer[], at_date date)
RETURNS TABLE (cell_id integer, status text, accountable_cell_id integer)
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE chain AS (
    SELECT c.id, c.parent_id FROM grid_cells c WHERE c.id = ANY(ids)
    UNION
    SELECT a.id, a.parent_id FROM grid_cells a JOIN chain ON a.id = chain.parent_id
  ),
  staff AS (SELECT s.* FROM cell_staffing_of(ARRAY(SELECT id FROM chain), at_date) s),
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
  WHERE s.cell_id = ANY(ids)
$$;
