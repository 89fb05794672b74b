-- Polygon objects are matched by area exactly like parcels; keep the same two figures the parcel
-- matches keep (the object's area and the part of it no leaf cell covers), so a report can say how
-- much of a farm or a site lies outside every cell. Both stay NULL for points.
ALTER TABLE object_matches ADD COLUMN object_area_m2 float8;
ALTER TABLE object_matches ADD COLUMN uncovered_area_m2 float8;

-- An object retired from the inventory keeps its row (patrols and findings refer to it) and says why.
ALTER TABLE supervised_objects ADD COLUMN retired_reason text;
ALTER TABLE supervised_objects ADD CONSTRAINT supervised_objects_retired_reason
  CHECK ((status = 'retired') = (retired_reason IS NOT NULL));
