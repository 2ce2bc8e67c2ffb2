-- Signed pass codes (docs/pass-code.md): the deployment's public keys, and
-- on each pass its revision, its signed code and the key that signed it.
-- Existing passes have no code yet: the service signs a pass the first time
-- it is read without one (SQL holds no private key).
CREATE TABLE signing_keys (
    kid text PRIMARY KEY CHECK (kid ~ '^[0-9a-f]{8}$'),
    -- The raw 32-byte Ed25519 public key, base64url without padding.
    public_key text NOT NULL UNIQUE CHECK (public_key ~ '^[A-Za-z0-9_-]{43}$'),
    not_before timestamptz NOT NULL DEFAULT clock_timestamp(),
    retired_at timestamptz
);

ALTER TABLE passes
    ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    ADD COLUMN signed_code text,
    ADD COLUMN kid text REFERENCES signing_keys (kid),
    -- When the pass last became suspended, for the revocation list.
    ADD COLUMN suspended_at timestamptz,
    ADD CHECK ((signed_code IS NULL) = (kid IS NULL));

CREATE FUNCTION hp_passes_mark_suspended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.suspended_at := clock_timestamp();
    RETURN NEW;
END $$;

CREATE TRIGGER passes_suspended_at BEFORE UPDATE OF status ON passes
    FOR EACH ROW WHEN (NEW.status = 'suspended' AND OLD.status IS DISTINCT FROM 'suspended')
    EXECUTE FUNCTION hp_passes_mark_suspended();

CREATE INDEX passes_revoked_at ON passes (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX passes_suspended_at ON passes (suspended_at) WHERE suspended_at IS NOT NULL;
