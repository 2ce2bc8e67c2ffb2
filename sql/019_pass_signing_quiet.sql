-- Signing a pass (src/db/passes.c store_signed) writes its signed_code and
-- kid in the decision that issued it. Checks read neither, yet the update
-- fired passes_checks_changed a second time in that transaction: the
-- change counter, a notification and a change-log row again, on the
-- statement timed as haulpass_pass_signing_seconds. An update that changes
-- nothing but those two columns now fires nothing; every other insert,
-- update or delete of a pass fires the trigger as before.
DROP TRIGGER passes_checks_changed ON passes;
CREATE TRIGGER passes_checks_changed AFTER INSERT OR DELETE ON passes
    FOR EACH ROW EXECUTE FUNCTION checks_changed();
-- The corridor is compared as its bytes, not through to_jsonb, which
-- would write it out as GeoJSON first: exact, and cheaper for long ones.
CREATE TRIGGER passes_checks_updated AFTER UPDATE ON passes
    FOR EACH ROW
    WHEN ((to_jsonb(OLD) - '{signed_code,kid,corridor_route}'::text[])
          IS DISTINCT FROM (to_jsonb(NEW) - '{signed_code,kid,corridor_route}'::text[])
          OR ST_AsEWKB(OLD.corridor_route) IS DISTINCT FROM ST_AsEWKB(NEW.corridor_route))
    EXECUTE FUNCTION checks_changed();
