-- A closed month is frozen as a whole (issue 12 review): its bulletin (通报) is written once at closing, in
-- the same transaction as the frozen scores, and read from then on; later submissions, flags or map edits
-- no longer change it. The frozen scores also keep the unit's names as they were at closing (rows written
-- before this migration have none and show the unit's current names).
CREATE TABLE bulletin_snapshots (
  month       date PRIMARY KEY REFERENCES assessment_months (month),
  data        jsonb NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE TRIGGER bulletin_snapshots_frozen BEFORE UPDATE OR DELETE ON bulletin_snapshots
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();

ALTER TABLE assessment_scores ADD COLUMN unit_name text;
ALTER TABLE assessment_scores ADD COLUMN unit_name_en text;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'everyinch_app') THEN RETURN; END IF;
  EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON bulletin_snapshots FROM everyinch_app';
END $$;
