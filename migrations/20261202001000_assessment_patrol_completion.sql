-- Patrol completion as an assessment indicator: a township's share of the patrol visits its supervised
-- objects required in the month that were made (one a day per object, at most what its risk level
-- requires), over all its leaf cells.
ALTER TABLE assessment_indicators DROP CONSTRAINT assessment_indicators_kind_check;
ALTER TABLE assessment_indicators ADD CONSTRAINT assessment_indicators_kind_check CHECK (kind IN (
  'ledger_timeliness', 'ledger_completion', 'flag_closure', 'flag_on_time', 'gap_area', 'vacancy_days',
  'understaffed_days', 'environment', 'inspection_findings', 'patrol_completion'));
