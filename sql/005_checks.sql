-- Checks answer from an in-memory snapshot (src/check/): tell every
-- instance when what it holds changes, whoever changed it.

-- Per row, so a statement that changes nothing (the lazy pass sweep runs
-- before every pass read) costs no reload; PostgreSQL folds the equal
-- notifications of a transaction into one, sent at commit. zone_set_version names the
-- snapshot, so a change to what checks read that is not a zone write
-- moves it on too. A change to vehicles or passes names its plate
-- ("plate <plate>"), so instances reload just that plate (a delta, see
-- src/check/feed.c); any other change asks for a full reload ('').
CREATE FUNCTION checks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME <> 'zones' THEN
        PERFORM nextval('zone_set_version');
    END IF;
    IF TG_TABLE_NAME IN ('vehicles', 'passes') THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM pg_notify('haulpass_snapshot', 'plate ' || OLD.plate);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.plate IS DISTINCT FROM OLD.plate) THEN
            PERFORM pg_notify('haulpass_snapshot', 'plate ' || NEW.plate);
        END IF;
    ELSE
        PERFORM pg_notify('haulpass_snapshot', '');
    END IF;
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
