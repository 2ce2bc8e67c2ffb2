-- Sign-in with a name and password (docs/contract.md §11): a password per user,
-- sessions whose token is a bearer token like any other, and the count of
-- wrong passwords in a row per name.

-- A user's name is the sign-in name: unique across the deployment.
CREATE UNIQUE INDEX users_name_key ON users (name);

-- "scrypt$N$r$p$<salt base64>$<key base64>" (src/util/password.c); NULL: the
-- user signs in with a token only.
ALTER TABLE users ADD COLUMN password_hash text
    CHECK (password_hash IS NULL OR password_hash LIKE 'scrypt$%');

-- A session: the SHA-256 of its token (never the token), whose user, and
-- when it was last used; it ends 8 hours after that (sliding).
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_used_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_used ON sessions (last_used_at);

-- Wrong passwords in a row, by the name tried (known or not, so a lock
-- tells nothing about whether a name exists). Five lock the name for 15
-- minutes; a right password, or the end of a lock, starts the count afresh.
-- A count last added to a day ago is forgotten (src/db/sessions.c drops it
-- at the next sign-in), so names tried at random do not pile up.
CREATE TABLE sign_in_failures (
    name text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
    failures int NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_failed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    locked_until timestamptz
);

-- A password is nothing the check snapshot reads: setting one must not make
-- every instance reload it. The trigger of sql/005_checks.sql, without
-- updates of password_hash alone.
DROP TRIGGER users_checks_changed ON users;
CREATE TRIGGER users_checks_changed
    AFTER INSERT OR DELETE OR UPDATE OF id, org_id, org_kind, name, role, token_hash ON users
    FOR EACH ROW EXECUTE FUNCTION checks_changed();
