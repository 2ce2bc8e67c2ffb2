-- Checks answer from an in-memory snapshot (src/check/): tell every
-- instance when what it holds changes, whoever changed it.

-- Per row, so a statement that changes nothing (the lazy pass sweep runs
-- before every pass read) costs no reload; PostgreSQL folds the equal
-- notifications of a transaction into one, sent at commit. zone_set_version names the
-- snapshot, so a change to what checks read that is not a zone write
-- moves it on too.
CREATE FUNCTION checks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME <> 'zones' THEN
        PERFORM nextval('zone_set_version');
    END IF;
    PERFORM pg_notify('haulpass_snapshot', '');
    RETURN NULL;
END $$;

CREATE TRIGGER zones_checks_changed AFTER INSERT OR UPDATE OR DELETE ON zones
    FOR EACH ROW EXECUTE FUNCTION checks_changed();
CREATE TRIGGER vehicles_checks_changed AFTER INSERT OR UPDATE OR DELETE ON vehicles
    FOR EACH ROW EXECUTE FUNCTION checks_changed();
CREATE TRIGGER passes_checks_changed AFTER INSERT OR UPDATE OR DELETE ON passes
    FOR EACH ROW EXECUTE FUNCTION checks_changed();
CREATE TRIGGER calendar_checks_changed AFTER INSERT OR UPDATE OR DELETE
    ON calendar_days FOR EACH ROW EXECUTE FUNCTION checks_changed();
-- Checks find their caller in the snapshot too (a camera must not wait on
-- a token lookup).
CREATE TRIGGER users_checks_changed AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION checks_changed();
CREATE TRIGGER orgs_checks_changed AFTER INSERT OR UPDATE OR DELETE ON orgs
    FOR EACH ROW EXECUTE FUNCTION checks_changed();
