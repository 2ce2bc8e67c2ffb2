-- Pass applications, their history, and the passes an approval issues.

-- The allowed status changes of an application; src/rules/app_status.c
-- holds the same table (a unit test and the trigger below keep both
-- honest). An expired claim keeps the status in_review: the claim query
-- treats it as claimable again, so no in_review -> queued change exists.
CREATE TABLE app_transitions (
    from_status text NOT NULL,
    to_status text NOT NULL,
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO app_transitions (from_status, to_status) VALUES
    ('awaiting_endorsement', 'queued'),
    ('awaiting_endorsement', 'withdrawn'),
    ('queued', 'in_review'),
    ('queued', 'withdrawn'),
    ('in_review', 'approved'),
    ('in_review', 'approved_provisional'),
    ('in_review', 'rejected');

CREATE FUNCTION app_transitions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the allowed application transitions are fixed'
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER app_transitions_frozen BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON app_transitions FOR EACH STATEMENT EXECUTE FUNCTION app_transitions_frozen();

-- One application by an organisation (haulier or site) for its plates.
-- valid_from/valid_to are local dates, both days included. due_at is NULL
-- while the application awaits endorsement: the clock starts when it
-- enters the queue.
CREATE TABLE applications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id uuid NOT NULL REFERENCES orgs (id),
    applicant_id uuid NOT NULL REFERENCES users (id),
    type text NOT NULL CHECK (type IN ('construction', 'urban_delivery', 'oversize',
                                       'hazmat', 'temporary')),
    plates text[] NOT NULL CHECK (cardinality(plates) BETWEEN 1 AND 3000),
    zone_ids uuid[] NOT NULL DEFAULT '{}',
    corridor_route geometry(LineString, 4326),
    corridor_width_m integer CHECK (corridor_width_m BETWEEN 10 AND 2000),
    valid_from date NOT NULL,
    valid_to date NOT NULL,
    hours text,
    project_id uuid REFERENCES projects (id),
    documents jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(documents) = 'array'),
    note text CHECK (length(note) <= 2000),
    status text NOT NULL CHECK (status IN ('awaiting_endorsement', 'queued', 'in_review',
        'approved', 'approved_provisional', 'rejected', 'withdrawn')),
    fast_track boolean NOT NULL DEFAULT false,
    submitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    endorsed_at timestamptz,
    endorsed_by uuid REFERENCES users (id),
    due_at timestamptz,
    claimed_by uuid REFERENCES users (id),
    claim_expires_at timestamptz,
    decided_at timestamptz,
    decided_by uuid REFERENCES users (id),
    decision_reason text,
    missing_documents text[],
    documents_due timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (valid_to >= valid_from),
    CHECK (valid_to - valid_from < CASE type WHEN 'temporary' THEN 3 ELSE 90 END),
    CHECK ((corridor_route IS NULL) = (corridor_width_m IS NULL)),
    CHECK ((project_id IS NULL) OR fast_track OR status = 'awaiting_endorsement'
           OR status = 'withdrawn'),
    CHECK ((status = 'awaiting_endorsement') = (due_at IS NULL)
           OR (status = 'withdrawn' AND due_at IS NULL)),
    CHECK (status <> 'in_review' OR (claimed_by IS NOT NULL AND claim_expires_at IS NOT NULL)),
    CHECK ((status IN ('approved', 'approved_provisional', 'rejected'))
           = (decided_at IS NOT NULL)),
    CHECK (status <> 'rejected' OR length(btrim(decision_reason)) > 0),
    CHECK ((status = 'approved_provisional')
           = (documents_due IS NOT NULL AND cardinality(missing_documents) > 0))
);
CREATE INDEX applications_org ON applications (org_id, submitted_at, id);
CREATE INDEX applications_order ON applications (submitted_at, id);
CREATE INDEX applications_open ON applications (fast_track DESC, due_at, submitted_at, id)
    WHERE status IN ('queued', 'in_review');

-- Only the transitions of app_transitions; a new application starts
-- awaiting endorsement or queued.
CREATE FUNCTION applications_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status NOT IN ('awaiting_endorsement', 'queued') THEN
            RAISE EXCEPTION 'an application cannot start as %', NEW.status
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (
            SELECT 1 FROM app_transitions
             WHERE from_status = OLD.status AND to_status = NEW.status) THEN
        RAISE EXCEPTION 'an application cannot go from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER applications_transition BEFORE INSERT OR UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_transition();

-- The history of each application: every status change, who, why.
CREATE TABLE application_events (
    id bigserial PRIMARY KEY,
    application_id uuid NOT NULL REFERENCES applications (id),
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id uuid REFERENCES users (id),
    from_status text,
    to_status text NOT NULL,
    reason text
);
CREATE INDEX application_events_app ON application_events (application_id, id);

-- One pass per plate of an approved application. The code is random
-- (src/util/pass_code.c); the key makes a collision an error, never a
-- shared code.
CREATE TABLE passes (
    code text PRIMARY KEY CHECK (code ~ '^HP-[0-9]{4}-[0-9A-HJKMNP-TV-Z]{8}[0-9A-HJKMNP-TV-Z*~$=U]$'),
    application_id uuid NOT NULL REFERENCES applications (id),
    plate text NOT NULL,
    type text NOT NULL,
    zone_ids uuid[] NOT NULL,
    corridor_route geometry(LineString, 4326),
    corridor_width_m integer,
    valid_from date NOT NULL,
    valid_to date NOT NULL,
    hours text,
    project_id uuid REFERENCES projects (id),
    status text NOT NULL CHECK (status IN ('active', 'provisional', 'suspended', 'revoked',
                                           'expired')),
    documents_due timestamptz,
    issued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_at timestamptz,
    revoked_by uuid REFERENCES users (id),
    revoke_reason text,
    UNIQUE (application_id, plate),
    CHECK (status <> 'revoked' OR length(btrim(revoke_reason)) > 0),
    CHECK (status <> 'provisional' OR documents_due IS NOT NULL)
);
CREATE INDEX passes_plate ON passes (plate, issued_at);
