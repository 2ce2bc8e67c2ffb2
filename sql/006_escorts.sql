-- Escort units and escort bookings. (005 is taken by the route checks.)

-- A police unit that leads convoys: its base, its duty hours (canonical
-- opening_hours text, see src/rules/opening_hours.c) and how many vehicles
-- it can lead at once.
CREATE TABLE escort_units (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    base geometry(Point, 4326) NOT NULL,
    hours text NOT NULL CHECK (length(hours) BETWEEN 1 AND 4096),
    capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX escort_units_order ON escort_units (created_at, id);

-- One escort from origin to destination along route (the one given, or the
-- straight line). The unit is taken over `busy`: from the start until the
-- end of the turnaround after the escort (free_at). A live booking
-- (scheduled or confirmed) never overlaps another live booking of its unit:
-- the exclusion constraint is the rule, whatever the concurrency and however
-- many service instances run; the service only searches for a free slot and
-- retries when the constraint refuses it.
CREATE TABLE escorts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES projects (id),
    unit_id uuid NOT NULL REFERENCES escort_units (id),
    booked_by uuid NOT NULL REFERENCES users (id),
    plates text[] NOT NULL CHECK (cardinality(plates) BETWEEN 1 AND 100),
    origin geometry(Point, 4326) NOT NULL,
    destination geometry(Point, 4326) NOT NULL,
    route geometry(LineString, 4326) NOT NULL,
    route_given boolean NOT NULL,
    length_m double precision NOT NULL CHECK (length_m >= 0),
    cargo jsonb CHECK (cargo IS NULL OR jsonb_typeof(cargo) = 'object'),
    -- The route check of the convoy as it stood when booked (NULL when the
    -- check could not be answered then).
    route_check jsonb CHECK (route_check IS NULL OR jsonb_typeof(route_check) = 'object'),
    status text NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled', 'confirmed', 'cancelled', 'completed')),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    free_at timestamptz NOT NULL,
    busy tstzrange NOT NULL GENERATED ALWAYS AS (tstzrange(starts_at, free_at, '[)')) STORED,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (starts_at < ends_at AND ends_at <= free_at),
    CONSTRAINT escorts_no_double_booking
        EXCLUDE USING gist (unit_id WITH =, busy WITH &&)
        WHERE (status IN ('scheduled', 'confirmed'))
);
CREATE INDEX escorts_project ON escorts (project_id, starts_at);
CREATE INDEX escorts_order ON escorts (starts_at, id);
CREATE INDEX escorts_unit ON escorts (unit_id, starts_at);
