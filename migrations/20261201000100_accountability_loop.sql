-- The accountability loop (issue 12): responsible units and their officers, lines of work, yearly plans
-- with measures and monthly milestones, monthly work ledgers (台账) with evidence and review, target
-- responsibility letters (目标责任书), monthly environmental figures, and the yearly assessment scheme
-- with its monthly scores, frozen when a month is closed.
-- As in the flags migration, every timestamp is written by the service with its own clock (never now()).

-- 1. A new account role: a unit officer acts for a person who heads or liaises for a unit.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('admin', 'supervisor', 'inspector', 'viewer', 'unit_officer'));
ALTER TABLE users ADD CONSTRAINT users_unit_officer_person_check
  CHECK (role <> 'unit_officer' OR person_id IS NOT NULL);

-- 2. Responsible units: every township-level cell (kind 'township', with its cell) and the county
-- departments (kind 'department', no land).
CREATE TABLE units (
  id              serial PRIMARY KEY,
  code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  name            text NOT NULL CHECK (length(name) > 0),
  name_en         text,
  kind            text NOT NULL CHECK (kind IN ('township', 'department')),
  cell_id         integer UNIQUE REFERENCES grid_cells (id),
  -- the unit's head (一把手)
  head_person_id  integer REFERENCES people (id),
  sort_order      smallint NOT NULL DEFAULT 100,
  created_at      timestamptz NOT NULL,
  CHECK ((kind = 'township') = (cell_id IS NOT NULL))
);

-- Liaison officers (联络员): people who fill in the unit's ledger (through a unit_officer account).
CREATE TABLE unit_liaisons (
  unit_id    integer NOT NULL REFERENCES units (id),
  person_id  integer NOT NULL REFERENCES people (id),
  PRIMARY KEY (unit_id, person_id)
);
CREATE INDEX unit_liaisons_person_idx ON unit_liaisons (person_id);

-- 3. Lines of work (专项): air, water, soil in the demo. The lead unit (牵头单位) reviews the line's ledgers.
CREATE TABLE work_lines (
  code          text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
  name          text NOT NULL CHECK (length(name) > 0),
  name_en       text NOT NULL CHECK (length(name_en) > 0),
  lead_unit_id  integer NOT NULL REFERENCES units (id),
  sort_order    smallint NOT NULL DEFAULT 100
);

-- Indicators: what a target, a ledger value or an environmental figure measures. `direction` says which
-- way is better; `min_value`/`max_value` bound what may be entered (e.g. 0 forbids negatives).
CREATE TABLE indicators (
  code             text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
  name             text NOT NULL CHECK (length(name) > 0),
  name_en          text NOT NULL CHECK (length(name_en) > 0),
  unit_of_measure  text NOT NULL DEFAULT '',
  direction        text NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better')),
  min_value        numeric,
  max_value        numeric,
  CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value)
);

-- 4. Plans: per line and year, with measures.
CREATE TABLE plans (
  id          serial PRIMARY KEY,
  line_code   text NOT NULL REFERENCES work_lines (code),
  year        smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title       text NOT NULL CHECK (length(title) > 0),
  created_at  timestamptz NOT NULL,
  UNIQUE (line_code, year)
);

CREATE TABLE measures (
  id                     serial PRIMARY KEY,
  plan_id                integer NOT NULL REFERENCES plans (id),
  code                   text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,64}$'),
  title                  text NOT NULL CHECK (length(title) > 0),
  title_en               text,
  lead_unit_id           integer NOT NULL REFERENCES units (id),
  indicator_code         text NOT NULL REFERENCES indicators (code),
  target_value           numeric NOT NULL,
  -- the named person responsible for the measure as a whole
  responsible_person_id  integer NOT NULL REFERENCES people (id),
  created_at             timestamptz NOT NULL,
  UNIQUE (plan_id, code)
);

-- The units that carry out a measure (each keeps a ledger row per month for it).
CREATE TABLE measure_units (
  measure_id  integer NOT NULL REFERENCES measures (id),
  unit_id     integer NOT NULL REFERENCES units (id),
  PRIMARY KEY (measure_id, unit_id)
);
CREATE INDEX measure_units_unit_idx ON measure_units (unit_id);

-- Monthly milestones (工作节点): what must be done by the end of the month, with the planned value.
CREATE TABLE measure_milestones (
  measure_id     integer NOT NULL REFERENCES measures (id),
  month          smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
  description    text NOT NULL CHECK (length(description) > 0),
  planned_value  numeric,
  PRIMARY KEY (measure_id, month)
);

-- 5. Monthly ledgers (台账): one entry per measure, responsible unit and month ('YYYY-MM-01').
-- `progress` is what the unit reports; `state` is where the entry is in submission and review.
-- Each change adds a row to ledger_entry_versions (append-only); `version` is the optimistic lock.
CREATE TABLE ledger_entries (
  id                 serial PRIMARY KEY,
  measure_id         integer NOT NULL REFERENCES measures (id),
  unit_id            integer NOT NULL REFERENCES units (id),
  month              date NOT NULL CHECK (extract(day FROM month) = 1),
  milestone          text NOT NULL DEFAULT '',
  done_value         numeric,
  done_text          text NOT NULL DEFAULT '',
  progress           text NOT NULL DEFAULT 'not_started'
                       CHECK (progress IN ('done', 'on_track', 'late', 'not_started')),
  state              text NOT NULL DEFAULT 'draft'
                       CHECK (state IN ('draft', 'submitted', 'accepted', 'returned')),
  version            integer NOT NULL DEFAULT 1,
  due_at             timestamptz NOT NULL,
  submitted_at       timestamptz,
  submitted_by       integer REFERENCES users (id),
  reviewed_at        timestamptz,
  reviewed_by        integer REFERENCES users (id),
  return_reason      text,
  -- escalation of an overdue entry: once per level, like flags
  escalation_level   smallint NOT NULL DEFAULT 0,
  escalated_at       timestamptz,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  UNIQUE (measure_id, unit_id, month)
);
CREATE INDEX ledger_entries_unit_month_idx ON ledger_entries (unit_id, month);
CREATE INDEX ledger_entries_month_state_idx ON ledger_entries (month, state);

CREATE TABLE ledger_entry_versions (
  entry_id     integer NOT NULL REFERENCES ledger_entries (id),
  version      integer NOT NULL,
  action       text NOT NULL CHECK (action IN ('create', 'save', 'submit', 'accept', 'return', 'escalate')),
  at           timestamptz NOT NULL,
  actor_id     integer REFERENCES users (id),
  actor_login  text NOT NULL,
  state        text NOT NULL,
  progress     text NOT NULL,
  done_value   numeric,
  done_text    text NOT NULL,
  reason       text,
  PRIMARY KEY (entry_id, version)
);

-- Evidence: photos and documents (PDF), stored like flag photos; append-only.
CREATE TABLE ledger_evidence (
  id            serial PRIMARY KEY,
  entry_id      integer NOT NULL REFERENCES ledger_entries (id),
  -- the entry version the file was attached at
  version       integer NOT NULL,
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  sha256        text NOT NULL,
  filename      text,
  data          bytea NOT NULL,
  uploaded_by   integer REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  CHECK (octet_length(data) = size_bytes)
);
CREATE INDEX ledger_evidence_entry_idx ON ledger_evidence (entry_id);

-- 6. Target responsibility letters (目标责任书): per unit and year.
CREATE TABLE responsibility_letters (
  id                          serial PRIMARY KEY,
  unit_id                     integer NOT NULL REFERENCES units (id),
  year                        smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  signed_on                   date,
  unit_signatory_person_id    integer REFERENCES people (id),
  county_signatory_person_id  integer REFERENCES people (id),
  version                     integer NOT NULL DEFAULT 1,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL,
  UNIQUE (unit_id, year)
);

CREATE TABLE letter_targets (
  letter_id       integer NOT NULL REFERENCES responsibility_letters (id),
  indicator_code  text NOT NULL REFERENCES indicators (code),
  target_value    numeric NOT NULL,
  PRIMARY KEY (letter_id, indicator_code)
);

-- The signed scan (PDF); a new upload adds a row, the newest one is the letter's scan. Append-only.
CREATE TABLE letter_scans (
  id            serial PRIMARY KEY,
  letter_id     integer NOT NULL REFERENCES responsibility_letters (id),
  content_type  text NOT NULL CHECK (content_type = 'application/pdf'),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  sha256        text NOT NULL,
  filename      text,
  data          bytea NOT NULL,
  uploaded_by   integer REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  CHECK (octet_length(data) = size_bytes)
);
CREATE INDEX letter_scans_letter_idx ON letter_scans (letter_id);

-- 7. Environmental figures entered or imported monthly per unit (e.g. PM2.5 monthly mean).
CREATE TABLE environment_figures (
  unit_id         integer NOT NULL REFERENCES units (id),
  month           date NOT NULL CHECK (extract(day FROM month) = 1),
  indicator_code  text NOT NULL REFERENCES indicators (code),
  value           numeric NOT NULL,
  source          text NOT NULL DEFAULT '',
  entered_by      integer REFERENCES users (id),
  entered_at      timestamptz NOT NULL,
  PRIMARY KEY (unit_id, month, indicator_code)
);

-- 8. Assessment (考核): a yearly scheme of weighted indicators, monthly scores frozen at close.
CREATE TABLE assessment_schemes (
  year              smallint PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  -- how many units head the red list and end the black list, per peer group
  red_list_size     smallint NOT NULL DEFAULT 3 CHECK (red_list_size >= 0),
  black_list_size   smallint NOT NULL DEFAULT 3 CHECK (black_list_size >= 0),
  updated_at        timestamptz NOT NULL
);

CREATE TABLE assessment_indicators (
  year            smallint NOT NULL REFERENCES assessment_schemes (year),
  code            text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
  kind            text NOT NULL CHECK (kind IN ('ledger_timeliness', 'ledger_completion', 'flag_closure',
                    'flag_on_time', 'gap_area', 'vacancy_days', 'understaffed_days', 'environment',
                    'inspection_findings')),
  name            text NOT NULL CHECK (length(name) > 0),
  name_en         text NOT NULL CHECK (length(name_en) > 0),
  weight          numeric NOT NULL CHECK (weight >= 0),
  -- which peer group it scores: townships, departments or both
  applies_to      text NOT NULL DEFAULT 'all' CHECK (applies_to IN ('township', 'department', 'all')),
  -- for kind 'environment': the figure compared with the unit's letter target
  indicator_code  text REFERENCES indicators (code),
  sort_order      smallint NOT NULL DEFAULT 100,
  PRIMARY KEY (year, code),
  CHECK ((kind = 'environment') = (indicator_code IS NOT NULL))
);

-- A closed month: its scores were computed once and stored below; they are read, never recomputed.
CREATE TABLE assessment_months (
  month      date PRIMARY KEY CHECK (extract(day FROM month) = 1),
  closed_at  timestamptz NOT NULL,
  closed_by  integer REFERENCES users (id)
);

CREATE TABLE assessment_scores (
  month       date NOT NULL REFERENCES assessment_months (month),
  unit_id     integer NOT NULL REFERENCES units (id),
  peer_group  text NOT NULL CHECK (peer_group IN ('township', 'department')),
  score       numeric NOT NULL,
  rank        integer NOT NULL CHECK (rank > 0),
  PRIMARY KEY (month, unit_id)
);

-- Each indicator's part of a frozen score, with the rows it was computed from (the drill-down).
CREATE TABLE assessment_score_parts (
  month           date NOT NULL,
  unit_id         integer NOT NULL,
  indicator_code  text NOT NULL,
  raw_value       numeric,
  score           numeric,
  weight          numeric NOT NULL,
  details         jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (month, unit_id, indicator_code),
  FOREIGN KEY (month, unit_id) REFERENCES assessment_scores (month, unit_id)
);

-- 9. The records of what happened stay as they were written.
CREATE TRIGGER ledger_entry_versions_append_only BEFORE UPDATE OR DELETE ON ledger_entry_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER ledger_evidence_append_only BEFORE UPDATE OR DELETE ON ledger_evidence
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER letter_scans_append_only BEFORE UPDATE OR DELETE ON letter_scans
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER assessment_scores_frozen BEFORE UPDATE OR DELETE ON assessment_scores
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER assessment_score_parts_frozen BEFORE UPDATE OR DELETE ON assessment_score_parts
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER assessment_months_frozen BEFORE UPDATE OR DELETE ON assessment_months
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'everyinch_app') THEN RETURN; END IF;
  EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entry_versions, ledger_evidence, letter_scans,
    assessment_months, assessment_scores, assessment_score_parts FROM everyinch_app';
END $$;
