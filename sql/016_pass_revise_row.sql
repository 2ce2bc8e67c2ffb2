-- hp_pass_revise (012) answers the revision it made as a whole row, so the
-- statement that amends a pass has what signing its new code needs
-- (src/db/passes.c hp_passes_sign_written) without reading the pass back:
-- signing adds one UPDATE to the amendment, not a query and an UPDATE
-- (BENCHMARKS.md: what signing adds to a decision). Otherwise unchanged.
DROP FUNCTION hp_pass_revise(text, uuid, text, uuid, text, uuid[], geometry, integer, date,
                             date, text, text, timestamptz);

-- The pass's next revision; NULL when the pass cannot be amended (revoked
-- or expired). The signed code is made afresh by the service.
CREATE FUNCTION hp_pass_revise(p_code text, p_actor uuid, p_reason text, p_application uuid,
                               p_plate text, p_zone_ids uuid[], p_corridor geometry,
                               p_width integer, p_from date, p_to date, p_hours text,
                               p_status text, p_documents_due timestamptz)
RETURNS passes LANGUAGE plpgsql AS $$
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
    RETURN nxt;
END $$;
