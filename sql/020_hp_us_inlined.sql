-- hp_us (sql/001_foundation.sql) was declared IMMUTABLE with a body that
-- is only STABLE (extract of a timestamptz is STABLE, though the epoch does
-- not depend on the time zone). PostgreSQL inlines a SQL function only
-- when its body is no more volatile than its declaration, so every call
-- went through the SQL-function executor, which parses the body again in
-- each statement that runs: 11 calls in a claim and a decision, about an
-- eighth of what that backend spent on them. The same instant read in UTC
-- (timezone(text, timestamptz) and extract of a timestamp are IMMUTABLE)
-- gives the same number in every time zone, and is inlined.
CREATE OR REPLACE FUNCTION hp_us(t timestamptz) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (extract(epoch FROM t AT TIME ZONE 'UTC') * 1000000)::bigint $$;
