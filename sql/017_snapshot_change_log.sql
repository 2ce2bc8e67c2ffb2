-- Which plates changed, for the instances on a hot standby (docs/capacity.md). A
-- standby delivers no NOTIFY, so those instances knew only that the change
-- counter moved (sql/008_snapshot_version.sql) and reloaded everything:
-- 2.2 s at a million vehicles. This log, written by the same trigger in
-- the same transaction and replicated with the rest, names what the
-- notification names: a plate, or '' for everything (a full load).
--
-- A reader finds the rows committed since its last read by transaction id,
-- not by seq or time: both are drawn before commit, so a transaction that
-- commits late would land behind a position already read. The reader keeps
-- the oldest transaction still running at its read (pg_snapshot_xmin) and
-- the transactions of the rows it saw from there on; the next read takes
-- the rows from that transaction on and skips the ones seen
-- (src/db/snapshot_store.c). A standby's snapshot lists no running
-- transactions (pg_current_snapshot's xip is empty there), only its xmin
-- is right: hence the seen set rather than pg_visible_in_snapshot.
CREATE TABLE snapshot_change_log (
    seq bigserial PRIMARY KEY,
    xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
    plate text NOT NULL, -- '' : everything
    at timestamptz NOT NULL DEFAULT now(),
    -- A transaction that changes a plate many times logs it once.
    UNIQUE (xact, plate)
);

-- The newest transaction whose rows were pruned: a reader whose oldest
-- running transaction is not past it may have missed some, and loads in
-- full.
CREATE TABLE snapshot_change_log_pruned (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    upto xid8 NOT NULL
);
INSERT INTO snapshot_change_log_pruned (upto) VALUES ('0');

-- Deletes the rows older than keep of transactions that ended before every
-- running one (a reader on a standby may still be waiting for the rows of
-- a long transaction); returns how many. Idempotent and cheap: it looks at
-- the 4096 oldest rows only (by seq, which grows with time), twice what
-- the trigger below adds between two prunes. One pruner at a time, the
-- others skip rather than wait (it runs inside writes).
CREATE FUNCTION snapshot_change_log_prune(keep interval) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    gone bigint := 0;
    newest xid8;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('snapshot_change_log_prune')) THEN
        RETURN 0;
    END IF;
    WITH d AS (
        DELETE FROM snapshot_change_log
        WHERE seq IN (SELECT seq FROM snapshot_change_log ORDER BY seq LIMIT 4096)
          AND at < now() - keep AND xact < pg_snapshot_xmin(pg_current_snapshot())
        RETURNING xact
    )
    SELECT count(*), max(xact) INTO gone, newest FROM d;
    IF gone > 0 THEN
        UPDATE snapshot_change_log_pruned SET upto = greatest(upto, newest);
    END IF;
    RETURN gone;
END $$;

-- What the notification says, logged as well; every 1024th row prunes
-- what is older than an hour, so the log holds about an hour of changes
-- (at least 1024 rows) whoever runs the instances, wherever.
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
    ELSE
        PERFORM pg_notify('haulpass_snapshot', '');
        INSERT INTO snapshot_change_log (plate) VALUES ('')
            ON CONFLICT DO NOTHING RETURNING seq INTO logged;
    END IF;
    IF logged % 1024 = 0 THEN
        PERFORM snapshot_change_log_prune(interval '1 hour');
    END IF;
    RETURN NULL;
END $$;
