-- Webhooks (docs/webhooks.md): subscriptions, the transactional outbox and
-- the deliveries, which are both the queue and the owner's delivery log.
--
-- Events are written by triggers, so they are in the same transaction as
-- the change whichever code path makes it: no event is lost when the
-- change commits, and none is invented when it rolls back.

CREATE TABLE webhooks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id uuid NOT NULL REFERENCES orgs (id),
    url text NOT NULL CHECK (url ~ '^https?://[^/?#[:space:]]+' AND length(url) <= 2000),
    events text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 8),
    -- The HMAC key of the signature header, shown to the owner once.
    secret text NOT NULL CHECK (length(secret) >= 32),
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    deleted_at timestamptz
);
CREATE INDEX webhooks_org ON webhooks (org_id) WHERE deleted_at IS NULL;

-- The outbox: one row per event, in commit-independent id order per subject
-- (a subject's changes take its row lock, so their ids follow their order).
CREATE TABLE webhook_events (
    id bigserial PRIMARY KEY,
    org_id uuid NOT NULL,
    event text NOT NULL,
    subject text NOT NULL, -- application:<id>, pass:<code>, escort:<id>
    data jsonb NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- One delivery per event and subscribed webhook.
CREATE TABLE webhook_deliveries (
    id bigserial PRIMARY KEY,
    webhook_id uuid NOT NULL REFERENCES webhooks (id),
    event_id bigint NOT NULL REFERENCES webhook_events (id),
    subject text NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    -- When it may next be tried: after a failure the back-off, while an
    -- instance is sending it the lease (so no other sends it at once).
    next_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    give_up_at timestamptz NOT NULL DEFAULT clock_timestamp() + interval '1 day',
    last_attempt_at timestamptz,
    last_status integer,
    last_error text,
    delivered_at timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subject ON webhook_deliveries (webhook_id, subject, event_id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id);

-- Writes an event and a delivery for every live webhook of org that takes it.
CREATE FUNCTION webhook_emit(p_org uuid, p_event text, p_subject text, p_data jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    ev bigint;
BEGIN
    IF p_org IS NULL OR NOT EXISTS (SELECT 1 FROM webhooks WHERE org_id = p_org
                                    AND deleted_at IS NULL AND p_event = ANY (events)) THEN
        RETURN;
    END IF;
    INSERT INTO webhook_events (org_id, event, subject, data)
        VALUES (p_org, p_event, p_subject, p_data) RETURNING id INTO ev;
    INSERT INTO webhook_deliveries (webhook_id, event_id, subject)
        SELECT id, ev, p_subject FROM webhooks
        WHERE org_id = p_org AND deleted_at IS NULL AND p_event = ANY (events);
    PERFORM pg_notify('haulpass_webhooks', '');
END $$;

CREATE FUNCTION webhook_application() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
        RETURN NULL;
    END IF;
    PERFORM webhook_emit(NEW.org_id, 'application.status_changed', 'application:' || NEW.id,
        jsonb_build_object('application_id', NEW.id, 'status', NEW.status,
                           'previous_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
                           'version', NEW.version));
    RETURN NULL;
END $$;
CREATE TRIGGER webhook_application AFTER INSERT OR UPDATE OF status ON applications
    FOR EACH ROW EXECUTE FUNCTION webhook_application();

CREATE FUNCTION webhook_pass() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        kind := 'pass.issued';
    ELSIF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('revoked', 'suspended') THEN
        kind := 'pass.' || NEW.status;
    ELSIF NEW.revision IS DISTINCT FROM OLD.revision THEN
        kind := 'pass.amended'; -- a new revision (sql/012_pass_lifecycle.sql)
    ELSE
        RETURN NULL;
    END IF;
    PERFORM webhook_emit((SELECT org_id FROM applications WHERE id = NEW.application_id), kind,
        'pass:' || NEW.code,
        jsonb_build_object('code', NEW.code, 'application_id', NEW.application_id,
                           'plate', NEW.plate, 'status', NEW.status,
                           'valid_from', NEW.valid_from, 'valid_to', NEW.valid_to,
                           'revision', NEW.revision));
    RETURN NULL;
END $$;
CREATE TRIGGER webhook_pass AFTER INSERT OR UPDATE OF status, revision ON passes
    FOR EACH ROW EXECUTE FUNCTION webhook_pass();

CREATE FUNCTION webhook_escort() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        kind := 'escort.scheduled';
    ELSIF NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
        kind := 'escort.cancelled';
    ELSIF NEW.status IS DISTINCT FROM OLD.status OR NEW.starts_at <> OLD.starts_at
          OR NEW.ends_at <> OLD.ends_at OR NEW.unit_id <> OLD.unit_id THEN
        kind := 'escort.changed';
    ELSE
        RETURN NULL;
    END IF;
    PERFORM webhook_emit((SELECT site_org_id FROM projects WHERE id = NEW.project_id), kind,
        'escort:' || NEW.id,
        jsonb_build_object('escort_id', NEW.id, 'project_id', NEW.project_id,
                           'status', NEW.status, 'starts_at', NEW.starts_at,
                           'ends_at', NEW.ends_at));
    RETURN NULL;
END $$;
CREATE TRIGGER webhook_escort AFTER INSERT OR UPDATE ON escorts
    FOR EACH ROW EXECUTE FUNCTION webhook_escort();
