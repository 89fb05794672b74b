-- A system of record: the app's own database role, append-only tables it cannot rewrite, and an audit
-- log whose rows are chained by hashes so that an edit made by anyone (even the owner) shows.

-- 1. The role the app runs as in server mode (see README, "Database roles"). Roles belong to the whole
-- cluster, so it may exist already (another database of the same cluster). Creating it needs CREATEROLE;
-- where the migrating user lacks it the migration still applies and the app says so at start-up.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'everyinch_app') THEN
    BEGIN
      CREATE ROLE everyinch_app NOLOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot create role everyinch_app (%); create it as documented in the README', SQLERRM;
    END;
  END IF;
  -- A superuser may SET ROLE to anything; a CREATEROLE owner needs membership to switch to the role.
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'everyinch_app')
     AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'everyinch_app', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT everyinch_app TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot grant everyinch_app to % (%)', current_user, SQLERRM;
    END;
  END IF;
END $$;

-- 2. Its rights: read and write the working tables; only read and add to the records of what happened.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'everyinch_app') THEN RETURN; END IF;
  EXECUTE 'GRANT USAGE ON SCHEMA public TO everyinch_app';
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO everyinch_app';
  EXECUTE 'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO everyinch_app';
  -- tables created by later migrations (run by the same owner) get the same working rights; a migration
  -- that adds an append-only table revokes UPDATE and DELETE on it as below
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO everyinch_app';
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO everyinch_app';
  EXECUTE 'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM everyinch_app';
  IF to_regclass('public.spatial_ref_sys') IS NOT NULL THEN
    EXECUTE 'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON spatial_ref_sys FROM everyinch_app';
  END IF;
  EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, flag_events, flag_photos, cell_versions FROM everyinch_app';
  -- The one change the app makes to history: closing a cell's current version when the next one begins
  -- (cell_versions.valid_to). The trigger below allows exactly that and nothing else.
  EXECUTE 'GRANT UPDATE (valid_to) ON cell_versions TO everyinch_app';
END $$;

-- 3. Append-only, whoever connects: rows of flag_events and flag_photos are never changed or removed.
CREATE FUNCTION refuse_change_of_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER flag_events_append_only BEFORE UPDATE OR DELETE ON flag_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER flag_photos_append_only BEFORE UPDATE OR DELETE ON flag_photos
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER flag_events_no_truncate BEFORE TRUNCATE ON flag_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER flag_photos_no_truncate BEFORE TRUNCATE ON flag_photos
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER cell_versions_no_truncate BEFORE TRUNCATE ON cell_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record();

-- cell_versions: no delete; an update may only close an open version (valid_to from empty to a time not
-- before valid_from), every other column unchanged.
CREATE FUNCTION cell_versions_only_close() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'cell_versions is append-only (DELETE refused)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.valid_to IS NOT NULL OR NEW.valid_to IS NULL OR NEW.valid_to < OLD.valid_from
     OR (NEW.id, NEW.cell_id, NEW.version, NEW.code, NEW.name, NEW.level, NEW.parent_id, NEW.retired,
         NEW.valid_from, NEW.changed_by, NEW.reason)
        IS DISTINCT FROM
        (OLD.id, OLD.cell_id, OLD.version, OLD.code, OLD.name, OLD.level, OLD.parent_id, OLD.retired,
         OLD.valid_from, OLD.changed_by, OLD.reason)
     OR ST_AsEWKB(NEW.boundary) IS DISTINCT FROM ST_AsEWKB(OLD.boundary) THEN
    RAISE EXCEPTION 'cell_versions is append-only: only closing an open version (setting valid_to) is allowed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cell_versions_append_only BEFORE UPDATE OR DELETE ON cell_versions
  FOR EACH ROW EXECUTE FUNCTION cell_versions_only_close();

-- 4. The hash chain. chain_pos orders the chain (ids are handed out before the writers are serialised,
-- so id order can differ from commit order); hash = sha256 of the row's canonical text, which ends with
-- prev_hash, the previous row's hash (64 zeros for the first row).
ALTER TABLE audit_log ADD COLUMN chain_pos bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text;

-- Canonical text: every field as "<byte length>:<text>" or "-" for NULL, joined by "|". The time is
-- written in UTC with microseconds so it does not depend on the session's time zone; jsonb prints one
-- way. `npm run cli -- audit verify` rebuilds this text in JavaScript from the same fields.
CREATE FUNCTION audit_log_canonical(r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT string_agg(COALESCE(octet_length(f)::text || ':' || f, '-'), '|' ORDER BY n)
  FROM unnest(ARRAY[
    r.id::text, r.chain_pos::text, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    r.actor_id::text, r.actor_login, r.action, r.entity_type, r.entity_id, r.reason,
    r.before::text, r.after::text, r.prev_hash
  ]) WITH ORDINALITY AS t(f, n)
$$;

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head record;
BEGIN
  -- One writer at a time until commit; each statement here takes a fresh snapshot (READ COMMITTED),
  -- so the head read after the lock is the last committed row.
  PERFORM pg_advisory_xact_lock(4242002);
  SELECT chain_pos, hash INTO head FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1;
  NEW.chain_pos := COALESCE(head.chain_pos, 0) + 1;
  NEW.prev_hash := COALESCE(head.hash, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(audit_log_canonical(NEW), 'UTF8')), 'hex');
  RETURN NEW;
END $$;

-- the rows written before this migration join the chain in id order
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
DO $$
DECLARE
  r audit_log;
  pos bigint := 0;
  prev text := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    pos := pos + 1;
    r.chain_pos := pos;
    r.prev_hash := prev;
    prev := encode(sha256(convert_to(audit_log_canonical(r), 'UTF8')), 'hex');
    UPDATE audit_log SET chain_pos = pos, prev_hash = r.prev_hash, hash = prev WHERE id = r.id;
  END LOOP;
END $$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;

ALTER TABLE audit_log ALTER COLUMN chain_pos SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_chain_pos_idx ON audit_log (chain_pos);
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
