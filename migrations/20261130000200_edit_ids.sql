-- Every saved boundary edit gets an id, and every cell version it wrote carries that id, so the edit can
-- be undone as a whole: all the cells it touched (the one named, the neighbours it trimmed, the cells it
-- created or retired) go back to the versions they had just before it. Versions written by imports and
-- by history that predates this migration have no edit id and cannot be undone this way.
CREATE TABLE boundary_edits (
  id          bigserial PRIMARY KEY,
  operation   text NOT NULL,
  -- for an undo, the edit it reverses
  undoes      bigint REFERENCES boundary_edits (id),
  changed_by  text,
  reason      text,
  created_at  timestamptz NOT NULL
);

ALTER TABLE cell_versions ADD COLUMN edit_id bigint REFERENCES boundary_edits (id);
CREATE INDEX cell_versions_edit_idx ON cell_versions (edit_id) WHERE edit_id IS NOT NULL;
