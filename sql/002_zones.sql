-- Restricted zones with their rules, every version kept, and the calendar.

-- Bumped by every zone write; names the zone set a check answered from.
CREATE SEQUENCE zone_set_version;

CREATE TABLE zones (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    -- A zone sent as a Polygon is kept as a MultiPolygon of one; this says
    -- which type to give back.
    sent_as_polygon boolean NOT NULL,
    rules jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rules) = 'array'),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    retired_at timestamptz,
    set_version bigint NOT NULL DEFAULT nextval('zone_set_version')
);
CREATE INDEX zones_geom ON zones USING gist (geom);
CREATE INDEX zones_live ON zones (created_at, id) WHERE retired_at IS NULL;

-- Every version of every zone, as it was written.
CREATE TABLE zone_versions (
    zone_id uuid NOT NULL REFERENCES zones (id),
    version integer NOT NULL,
    name text NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    sent_as_polygon boolean NOT NULL,
    rules jsonb NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    written_by uuid,
    retired boolean NOT NULL DEFAULT false,
    PRIMARY KEY (zone_id, version)
);

-- Keep the history in step with the zone, whoever writes it.
CREATE FUNCTION zones_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO zone_versions (zone_id, version, name, geom, sent_as_polygon, rules,
                               written_by, retired)
    VALUES (NEW.id, NEW.version, NEW.name, NEW.geom, NEW.sent_as_polygon, NEW.rules,
            nullif(current_setting('haulpass.actor', true), '')::uuid,
            NEW.retired_at IS NOT NULL)
    ON CONFLICT (zone_id, version) DO UPDATE SET retired = EXCLUDED.retired;
    RETURN NEW;
END $$;
CREATE TRIGGER zones_keep_version AFTER INSERT OR UPDATE ON zones
    FOR EACH ROW EXECUTE FUNCTION zones_keep_version();

-- A version only ever grows, and a retired zone stays retired.
CREATE FUNCTION zones_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.retired_at IS NOT NULL THEN
        RAISE EXCEPTION 'zone % is retired', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.version < OLD.version THEN
        RAISE EXCEPTION 'zone versions only grow' USING ERRCODE = 'check_violation';
    END IF;
    NEW.set_version := nextval('zone_set_version');
    RETURN NEW;
END $$;
CREATE TRIGGER zones_guard BEFORE UPDATE ON zones
    FOR EACH ROW EXECUTE FUNCTION zones_guard();
CREATE RULE zones_no_delete AS ON DELETE TO zones DO INSTEAD NOTHING;

-- The working-day calendar: holidays and weekend days worked instead.
CREATE TABLE calendar_days (
    day date PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name text CHECK (length(name) <= 100),
    CONSTRAINT calendar_workday_on_weekend
        CHECK (kind <> 'workday' OR extract(isodow FROM day) IN (6, 7))
);
