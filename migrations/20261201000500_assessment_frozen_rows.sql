-- A closed month is read only from its frozen rows (issue 12). Those rows therefore also keep what the
-- month's reading shows besides the score: the month-on-month comparison as it stood at closing, a unit
-- that had no applicable indicator (listed without a score or rank), and each part's kind and names (the
-- scheme may be edited after the month is closed), and the list sizes it was closed with.
ALTER TABLE assessment_scores ALTER COLUMN score DROP NOT NULL;
ALTER TABLE assessment_scores ALTER COLUMN rank DROP NOT NULL;
ALTER TABLE assessment_scores ADD COLUMN previous_score numeric;
ALTER TABLE assessment_scores ADD COLUMN previous_rank integer;
ALTER TABLE assessment_scores ADD CONSTRAINT assessment_scores_ranked_check CHECK ((score IS NULL) = (rank IS NULL));
ALTER TABLE assessment_score_parts ADD COLUMN kind text NOT NULL DEFAULT '';
ALTER TABLE assessment_score_parts ADD COLUMN name text NOT NULL DEFAULT '';
ALTER TABLE assessment_score_parts ADD COLUMN name_en text NOT NULL DEFAULT '';
-- the list sizes the month was closed with, and each part's place in the unit's row
ALTER TABLE assessment_months ADD COLUMN red_list_size smallint NOT NULL DEFAULT 0;
ALTER TABLE assessment_months ADD COLUMN black_list_size smallint NOT NULL DEFAULT 0;
ALTER TABLE assessment_score_parts ADD COLUMN position smallint NOT NULL DEFAULT 0;
