-- The foundation: extensions, organisations, users, the audit trail.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Microseconds since the epoch: how instants travel to the C side.
CREATE FUNCTION hp_us(t timestamptz) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (extract(epoch FROM t) * 1000000)::bigint $$;

CREATE TABLE orgs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CONSTRAINT orgs_name_key UNIQUE
        CHECK (length(name) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('police', 'haulier', 'site')),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (id, kind)
);

-- A user's role must suit its organisation: the pair (org_id, org_kind)
-- references the organisation, and the check ties role to kind.
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id uuid NOT NULL,
    org_kind text NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role text NOT NULL CHECK (role IN ('admin', 'officer', 'haulier', 'site')),
    token_hash bytea NOT NULL CONSTRAINT users_token_hash_key UNIQUE
        CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (org_id, org_kind) REFERENCES orgs (id, kind),
    CONSTRAINT users_role_suits_org CHECK (
        (org_kind = 'police' AND role IN ('admin', 'officer'))
        OR (org_kind = 'haulier' AND role = 'haulier')
        OR (org_kind = 'site' AND role = 'site'))
);
CREATE INDEX users_org ON users (org_id);

-- Who changed what, when, before and after. Append-only.
CREATE TABLE audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id uuid,                      -- NULL: the command line
    entity text NOT NULL,
    entity_id text NOT NULL,
    action text NOT NULL,
    before jsonb,
    after jsonb
);
CREATE INDEX audit_entity ON audit (entity, entity_id, id);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only'
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
