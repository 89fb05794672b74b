-- Inspections and rectification (督查 and 整改). A campaign (专项督察) has a period, a line of work, the
-- cells and units it covers, a checklist and a rectification limit per severity. Each finding an
-- inspector records is a flag (the rectification item): routed, dispatched and escalated as every flag,
-- rectified by its feedback with evidence and verified by someone else (four-eyes). The finding keeps
-- what the flag does not: its campaign, the checklist item, the severity and the unit it was routed to.
CREATE TABLE inspection_campaigns (
  id            serial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL CHECK (btrim(name) <> ''),
  line_of_work  text NOT NULL CHECK (btrim(line_of_work) <> ''),
  starts_on     date NOT NULL,
  ends_on       date NOT NULL,
  -- the flag category its findings are filed under (their acknowledgement limit comes from it)
  category      text NOT NULL REFERENCES flag_categories (code),
  created_by    integer REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  CHECK (ends_on >= starts_on)
);

CREATE TABLE campaign_checklist_items (
  campaign_id  integer NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
  code         text NOT NULL,
  label        text NOT NULL CHECK (btrim(label) <> ''),
  sort_order   integer NOT NULL,
  PRIMARY KEY (campaign_id, code)
);

-- how long a unit has to rectify a finding of each severity, in working time (as flag limits)
CREATE TABLE campaign_limits (
  campaign_id  integer NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
  severity     text NOT NULL CHECK (severity IN ('general', 'major', 'serious')),
  amount       integer NOT NULL CHECK (amount > 0),
  unit         text NOT NULL CHECK (unit IN ('working_hours', 'working_days')),
  PRIMARY KEY (campaign_id, severity)
);

-- the cells it covers (each with everything under it); none: the whole county
CREATE TABLE campaign_cells (
  campaign_id  integer NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
  cell_id      integer NOT NULL REFERENCES grid_cells (id),
  PRIMARY KEY (campaign_id, cell_id)
);

-- the units it inspects; a township unit's cell counts as covered
CREATE TABLE campaign_units (
  campaign_id  integer NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
  unit_id      integer NOT NULL REFERENCES units (id),
  PRIMARY KEY (campaign_id, unit_id)
);

CREATE TABLE inspection_findings (
  id              serial PRIMARY KEY,
  campaign_id     integer NOT NULL REFERENCES inspection_campaigns (id),
  flag_id         integer NOT NULL UNIQUE REFERENCES flags (id),
  checklist_code  text NOT NULL,
  severity        text NOT NULL CHECK (severity IN ('general', 'major', 'serious')),
  -- the unit the finding was routed to when recorded (the township of its accountable cell)
  unit_id         integer REFERENCES units (id),
  observed_at     timestamptz NOT NULL,
  recorded_by     integer NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL,
  FOREIGN KEY (campaign_id, checklist_code) REFERENCES campaign_checklist_items (campaign_id, code)
);
CREATE INDEX inspection_findings_campaign ON inspection_findings (campaign_id);
CREATE INDEX inspection_findings_unit ON inspection_findings (unit_id);
