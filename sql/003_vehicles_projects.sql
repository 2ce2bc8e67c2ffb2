-- Vehicles, major projects, and the record behind Idempotency-Key.

-- A vehicle belongs to a haulier or a site organisation: the pair
-- (org_id, org_kind) references the organisation and the check names the
-- kinds that may own one. The plate is kept in its normal form (see
-- src/util/plate.c), so the unique constraint is the uniqueness rule.
CREATE TABLE vehicles (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plate text NOT NULL CONSTRAINT vehicles_plate_key UNIQUE
        CONSTRAINT vehicles_plate_normal
        CHECK (plate ~ '^[0-9A-Z\u3400-\u4DBF\u4E00-\u9FFF]{2,12}$'),
    org_id uuid NOT NULL,
    org_kind text NOT NULL CHECK (org_kind IN ('haulier', 'site')),
    class text NOT NULL CHECK (class IN ('light_truck', 'medium_truck', 'heavy_truck',
        'tractor', 'pickup', 'construction', 'muck_truck', 'concrete_mixer',
        'hazmat_tanker', 'special')),
    gross_weight_kg integer NOT NULL CHECK (gross_weight_kg BETWEEN 1 AND 200000),
    axles integer CHECK (axles BETWEEN 1 AND 20),
    length_mm integer CHECK (length_mm BETWEEN 1000 AND 50000),
    width_mm integer CHECK (width_mm BETWEEN 1000 AND 6000),
    height_mm integer CHECK (height_mm BETWEEN 1000 AND 6000),
    hazmat boolean NOT NULL DEFAULT false,
    new_energy boolean NOT NULL DEFAULT false,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (org_id, org_kind) REFERENCES orgs (id, kind)
);
CREATE INDEX vehicles_org ON vehicles (org_id, plate);

-- A liaison officer must be an officer: projects reference (id, role).
ALTER TABLE users ADD CONSTRAINT users_id_role_key UNIQUE (id, role);

-- A major project: its site organisation (of kind site) and its one liaison
-- officer (role officer), both enforced by the references below. An officer
-- may be the liaison of several projects.
CREATE TABLE projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    level text NOT NULL CHECK (level IN ('provincial', 'municipal')),
    site_org_id uuid NOT NULL,
    site_org_kind text NOT NULL DEFAULT 'site' CHECK (site_org_kind = 'site'),
    liaison_officer_id uuid NOT NULL,
    liaison_role text NOT NULL DEFAULT 'officer' CHECK (liaison_role = 'officer'),
    location geometry(Geometry, 4326) NOT NULL
        CHECK (GeometryType(location) IN ('POINT', 'POLYGON') AND ST_IsValid(location)),
    valid_to date NOT NULL,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (site_org_id, site_org_kind) REFERENCES orgs (id, kind),
    FOREIGN KEY (liaison_officer_id, liaison_role) REFERENCES users (id, role)
);
CREATE INDEX projects_site ON projects (site_org_id);
CREATE INDEX projects_liaison ON projects (liaison_officer_id);
CREATE INDEX projects_order ON projects (created_at, id);

-- Idempotency-Key: the first answer to a creating POST, per user and key.
-- The row is inserted 'running' before the handler runs, so a concurrent
-- duplicate finds it and never creates a second time.
CREATE TABLE idempotency_keys (
    user_id uuid NOT NULL REFERENCES users (id),
    key text NOT NULL CHECK (key ~ '^[ -~]{1,255}$'),
    request_hash bytea NOT NULL CHECK (length(request_hash) = 32),
    state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
    status integer CHECK (status BETWEEN 100 AND 599),
    content_type text,
    headers jsonb,
    body text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (user_id, key),
    CHECK (state = 'running' OR status IS NOT NULL)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
