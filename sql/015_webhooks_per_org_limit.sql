-- At most 10 live webhooks per organisation (docs/webhooks.md; the API's
-- HP_WEBHOOKS_MAX), decided here rather than by a count in the handler:
-- two registrations at once would both count 9 and both insert.
--
-- The trigger first takes the organisation's row lock, so registrations of
-- one organisation run one after the other; the count that follows is a
-- statement of its own, so under READ COMMITTED it sees what the previous
-- registration committed while this one waited. FOR NO KEY UPDATE does not
-- conflict with the KEY SHARE lock of foreign-key checks: other writes that
-- reference the organisation are not held up.
CREATE FUNCTION webhooks_per_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM orgs WHERE id = NEW.org_id FOR NO KEY UPDATE;
    IF (SELECT count(*) FROM webhooks
        WHERE org_id = NEW.org_id AND deleted_at IS NULL) >= 10 THEN
        RAISE EXCEPTION 'an organisation may have 10 webhooks'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'webhooks_per_org',
                  HINT = 'delete one first';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER webhooks_per_org BEFORE INSERT ON webhooks
    FOR EACH ROW EXECUTE FUNCTION webhooks_per_org();
