-- Problems found on a patrol (巡查发现问题): each becomes a flag, routed like any other, and stays
-- linked to the patrol it was found on, with the instant it was seen (the phone may send it later).
CREATE TABLE patrol_problems (
  patrol_id    integer NOT NULL REFERENCES patrols (id) ON DELETE CASCADE,
  flag_id      integer NOT NULL UNIQUE REFERENCES flags (id),
  observed_at  timestamptz NOT NULL,
  PRIMARY KEY (patrol_id, flag_id)
);
