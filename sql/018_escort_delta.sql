-- An escort booking's change reloads only the escort bookings
-- (docs/capacity.md, "Changes on a replica at province size"). Until now
-- the trigger of sql/014_oversize.sql announced it as '' (everything): a
-- full load of every vehicle and pass, seconds at a million vehicles, for
-- a table of a few live rows.
--
-- The notification now says 'escorts'. In the change log a booking's row
-- is still '', but marked escorts_only: a reader that knows the mark
-- (src/db/snapshot_store.c) reloads the bookings alone, and one that does
-- not (an instance of an older build, during a rolling upgrade) still
-- loads in full, as it did, and never misses the change. The notification
-- is safe for those alike: any payload but "plate …" asks them for a full
-- load (src/check/feed.c of that build).
ALTER TABLE snapshot_change_log
    ADD COLUMN escorts_only boolean NOT NULL DEFAULT false;

-- One transaction logs '' once (UNIQUE (xact, plate)): when it changed a
-- booking and something else that needs a full load, the row must say
-- full, whichever came first.
CREATE OR REPLACE FUNCTION checks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    logged bigint;
BEGIN
    INSERT INTO snapshot_changes AS c (backend_pid, n, last_xact)
        VALUES (pg_backend_pid(), 1, pg_current_xact_id())
        ON CONFLICT (backend_pid) DO UPDATE SET n = c.n + 1, last_xact = EXCLUDED.last_xact
        WHERE c.last_xact IS DISTINCT FROM EXCLUDED.last_xact;
    IF TG_TABLE_NAME IN ('vehicles', 'passes') THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM pg_notify('haulpass_snapshot', 'plate ' || OLD.plate);
            INSERT INTO snapshot_change_log (plate) VALUES (OLD.plate)
                ON CONFLICT DO NOTHING RETURNING seq INTO logged;
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.plate IS DISTINCT FROM OLD.plate) THEN
            PERFORM pg_notify('haulpass_snapshot', 'plate ' || NEW.plate);
            INSERT INTO snapshot_change_log (plate) VALUES (NEW.plate)
                ON CONFLICT DO NOTHING RETURNING seq INTO logged;
        END IF;
    ELSIF TG_TABLE_NAME = 'escorts' THEN
        PERFORM pg_notify('haulpass_snapshot', 'escorts');
        INSERT INTO snapshot_change_log (plate, escorts_only) VALUES ('', true)
            ON CONFLICT DO NOTHING RETURNING seq INTO logged;
    ELSE
        PERFORM pg_notify('haulpass_snapshot', '');
        INSERT INTO snapshot_change_log AS l (plate) VALUES ('')
            ON CONFLICT (xact, plate) DO UPDATE SET escorts_only = false
            WHERE l.escorts_only RETURNING seq INTO logged;
    END IF;
    IF logged % 1024 = 0 THEN
        PERFORM snapshot_change_log_prune(interval '1 hour');
    END IF;
    RETURN NULL;
END $$;
