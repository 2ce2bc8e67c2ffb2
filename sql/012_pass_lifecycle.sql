-- The life of a pass (docs/contract.md §13): reasons for withdrawals,
-- cancellations and retirements; amendments that make a new revision of a
-- pass; extensions.

-- Reasons, kept where the history of each thing is kept.
ALTER TABLE escorts ADD COLUMN cancel_reason text CHECK (length(cancel_reason) <= 2000);
ALTER TABLE zones ADD COLUMN retire_reason text CHECK (length(retire_reason) <= 2000);
ALTER TABLE zone_versions ADD COLUMN reason text;

CREATE OR REPLACE FUNCTION zones_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO zone_versions (zone_id, version, name, geom, sent_as_polygon, rules,
                               written_by, retired, reason)
    VALUES (NEW.id, NEW.version, NEW.name, NEW.geom, NEW.sent_as_polygon, NEW.rules,
            nullif(current_setting('haulpass.actor', true), '')::uuid,
            NEW.retired_at IS NOT NULL, NEW.retire_reason)
    ON CONFLICT (zone_id, version) DO UPDATE SET retired = EXCLUDED.retired,
                                                 reason = EXCLUDED.reason;
    RETURN NEW;
END $$;

-- An amendment is an application of kind 'amendment' naming the pass it
-- changes; its plates, zones, corridor, dates and hours are the whole of
-- the revision it asks for, so the queue and the decision treat it like any
-- application. reason: why the holder asks (required for an amendment).
ALTER TABLE applications
    ADD COLUMN kind text NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'amendment')),
    ADD COLUMN pass_code text REFERENCES passes (code),
    ADD COLUMN reason text CHECK (length(reason) <= 2000),
    ADD CHECK ((kind = 'amendment') = (pass_code IS NOT NULL)),
    ADD CHECK (kind = 'new' OR (length(btrim(reason)) > 0 AND cardinality(plates) = 1));

-- One open amendment per pass: of two racing requests the second insert
-- fails on this index, whatever instance serves it (the service answers 409).
CREATE UNIQUE INDEX applications_one_open_amendment ON applications (pass_code)
    WHERE kind = 'amendment' AND status IN ('awaiting_endorsement', 'queued', 'in_review');

-- The current revision stays in passes (its code is the key every
-- reference uses); what made it: when it started lifting rules (NULL for
-- revision 1: at issued_at), who, from which application (NULL: an
-- officer's direct amendment, or revision 1's own application), why, and
-- which fields changed. extensions counts the revisions that moved
-- valid_to later (extensions): at most two.
ALTER TABLE passes
    ADD COLUMN revised_at timestamptz,
    ADD COLUMN revised_by uuid REFERENCES users (id),
    ADD COLUMN revision_application_id uuid REFERENCES applications (id),
    ADD COLUMN revise_reason text,
    ADD COLUMN revise_changes text[] NOT NULL DEFAULT '{}',
    ADD COLUMN extensions integer NOT NULL DEFAULT 0 CHECK (extensions BETWEEN 0 AND 2),
    ADD CHECK (valid_to - valid_from < CASE type WHEN 'temporary' THEN 3 ELSE 90 END);

-- Every superseded revision, as it stood, with the instants between which
-- it lifted rules: a check of an instant before superseded_at still finds
-- it (src/db/snapshot_store.c).
CREATE TABLE pass_revisions (
    code text NOT NULL REFERENCES passes (code),
    revision integer NOT NULL CHECK (revision >= 1),
    plate text NOT NULL,
    type text NOT NULL,
    zone_ids uuid[] NOT NULL,
    corridor_route geometry(LineString, 4326),
    corridor_width_m integer,
    valid_from date NOT NULL,
    valid_to date NOT NULL,
    hours text,
    status text NOT NULL, -- when it was superseded
    documents_due timestamptz,
    signed_code text,
    kid text,
    started_at timestamptz NOT NULL,
    superseded_at timestamptz NOT NULL,
    application_id uuid REFERENCES applications (id),
    changed_by uuid REFERENCES users (id),
    reason text,
    changes text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (code, revision),
    CHECK (started_at <= superseded_at)
);
CREATE INDEX pass_revisions_plate ON pass_revisions (plate, valid_to);

-- Makes revision N+1 of pass p_code from the given fields (all of them:
-- the caller merges what changes into what stands), keeping revision N in
-- pass_revisions. The new revision starts now and the old one stops now.
-- Returns the new revision, or NULL when the pass cannot be amended
-- (revoked or expired); the signed code is made afresh by the service
-- (src/db/passes.c signs a pass that has none).
CREATE FUNCTION hp_pass_revise(p_code text, p_actor uuid, p_reason text, p_application uuid,
                               p_plate text, p_zone_ids uuid[], p_corridor geometry,
                               p_width integer, p_from date, p_to date, p_hours text,
                               p_status text, p_documents_due timestamptz)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    cur passes;
    nxt passes;
    changed text[] := '{}';
    at timestamptz := clock_timestamp();
BEGIN
    SELECT * INTO cur FROM passes WHERE code = p_code FOR UPDATE;
    IF NOT FOUND OR cur.status NOT IN ('active', 'provisional', 'suspended') THEN
        RETURN NULL;
    END IF;
    IF p_plate IS DISTINCT FROM cur.plate THEN changed := changed || 'plate'::text; END IF;
    IF p_zone_ids IS DISTINCT FROM cur.zone_ids THEN changed := changed || 'zone_ids'::text; END IF;
    IF ST_AsEWKB(p_corridor) IS DISTINCT FROM ST_AsEWKB(cur.corridor_route)
       OR p_width IS DISTINCT FROM cur.corridor_width_m THEN
        changed := changed || 'corridor'::text;
    END IF;
    IF p_from IS DISTINCT FROM cur.valid_from THEN changed := changed || 'valid_from'::text; END IF;
    IF p_to IS DISTINCT FROM cur.valid_to THEN changed := changed || 'valid_to'::text; END IF;
    IF p_hours IS DISTINCT FROM cur.hours THEN changed := changed || 'hours'::text; END IF;
    INSERT INTO pass_revisions (code, revision, plate, type, zone_ids, corridor_route,
        corridor_width_m, valid_from, valid_to, hours, status, documents_due, signed_code, kid,
        started_at, superseded_at, application_id, changed_by, reason, changes)
    VALUES (cur.code, cur.revision, cur.plate, cur.type, cur.zone_ids, cur.corridor_route,
        cur.corridor_width_m, cur.valid_from, cur.valid_to, cur.hours, cur.status,
        cur.documents_due, cur.signed_code, cur.kid, coalesce(cur.revised_at, cur.issued_at), at,
        coalesce(cur.revision_application_id, cur.application_id), cur.revised_by,
        cur.revise_reason, cur.revise_changes);
    UPDATE passes SET plate = p_plate, zone_ids = p_zone_ids, corridor_route = p_corridor,
           corridor_width_m = p_width, valid_from = p_from, valid_to = p_to, hours = p_hours,
           status = p_status, documents_due = p_documents_due,
           revision = cur.revision + 1, signed_code = NULL, kid = NULL, revised_at = at,
           revised_by = p_actor, revision_application_id = p_application,
           revise_reason = p_reason, revise_changes = changed,
           extensions = cur.extensions + (p_to > cur.valid_to)::int
     WHERE code = p_code RETURNING * INTO nxt;
    INSERT INTO audit (actor_id, entity, entity_id, action, before, after)
    VALUES (p_actor, 'pass', p_code, 'amend', to_jsonb(cur) - 'corridor_route',
            to_jsonb(nxt) - 'corridor_route' || jsonb_build_object('reason', p_reason));
    RETURN nxt.revision;
END $$;

-- Road-occupation permits (占道/挖掘道路交通组织方案): an application of type
-- road_occupation, filed by a site for no plates, with the works: the area
-- occupied (works_area: the polygon sent, or the line sent buffered to its
-- width) and, in works, what was sent (area, width_m, classes, plan). Approved,
-- it becomes a zone of kind roadworks (src/db/roadworks.c) that retires
-- itself after ends_on, its last day.
ALTER TABLE applications DROP CONSTRAINT applications_type_check;
ALTER TABLE applications ADD CONSTRAINT applications_type_check
    CHECK (type IN ('construction', 'urban_delivery', 'oversize', 'hazmat', 'temporary',
                    'road_occupation'));
ALTER TABLE applications DROP CONSTRAINT applications_plates_check;
ALTER TABLE applications ADD CONSTRAINT applications_plates_check
    CHECK (cardinality(plates) BETWEEN CASE type WHEN 'road_occupation' THEN 0 ELSE 1 END
                                   AND 3000
           AND (type <> 'road_occupation' OR cardinality(plates) = 0));
ALTER TABLE applications
    ADD COLUMN works jsonb CHECK (works IS NULL OR jsonb_typeof(works) = 'object'),
    ADD COLUMN works_area geometry(MultiPolygon, 4326) CHECK (ST_IsValid(works_area)),
    ADD CHECK ((type = 'road_occupation') = (works IS NOT NULL AND works_area IS NOT NULL)),
    ADD CHECK (type <> 'road_occupation' OR kind = 'new');

ALTER TABLE zones
    ADD COLUMN kind text NOT NULL DEFAULT 'restriction' CHECK (kind IN ('restriction', 'roadworks')),
    ADD COLUMN application_id uuid REFERENCES applications (id),
    ADD COLUMN ends_on date,
    ADD CHECK ((kind = 'roadworks') = (application_id IS NOT NULL AND ends_on IS NOT NULL));
CREATE UNIQUE INDEX zones_roadworks_application ON zones (application_id)
    WHERE application_id IS NOT NULL;
CREATE INDEX zones_roadworks_live ON zones (ends_on) WHERE kind = 'roadworks' AND retired_at IS NULL;
