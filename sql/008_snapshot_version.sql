-- zone_set_version names the snapshot a check answered from, so two
-- snapshots that hold different data must never carry one number. A
-- sequence cannot promise that: its value is drawn when a row changes, not
-- when the transaction commits, so a snapshot read while a write is in
-- flight would carry that write's number (or a later one) without its data,
-- and the snapshot read after the commit the same number with it.
--
-- Counted instead, in the data itself: every transaction that changes what
-- checks read adds one, once, to the row of the backend it runs on, and a
-- snapshot's version is the sum of the rows its own transaction sees. What
-- a snapshot sees only grows from one to the next, by whole committed
-- transactions, so a snapshot that sees more has a larger sum. No two
-- writers ever touch one row (a backend runs one transaction at a time), so
-- no writer waits on another. The first row carries the sequence's value on,
-- so versions already handed out stay behind the new ones.
CREATE TABLE snapshot_changes (
    backend_pid integer PRIMARY KEY,
    n bigint NOT NULL,
    last_xact xid8 -- the transaction that last counted here: once each
);
INSERT INTO snapshot_changes (backend_pid, n)
    SELECT 0, last_value FROM zone_set_version;

CREATE OR REPLACE FUNCTION checks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO snapshot_changes AS c (backend_pid, n, last_xact)
        VALUES (pg_backend_pid(), 1, pg_current_xact_id())
        ON CONFLICT (backend_pid) DO UPDATE SET n = c.n + 1, last_xact = EXCLUDED.last_xact
        WHERE c.last_xact IS DISTINCT FROM EXCLUDED.last_xact;
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
