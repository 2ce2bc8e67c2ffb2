-- PUT /v1/calendar/{year} answers an ETag and honours If-Match, like every
-- other PUT: each year has a version that every replacement moves on. A
-- year with no row is at version 1, its empty calendar as GET shows it.
CREATE TABLE calendar_years (
    year integer PRIMARY KEY,
    version integer NOT NULL CHECK (version >= 1)
);
INSERT INTO calendar_years (year, version)
    SELECT DISTINCT extract(year FROM day)::int, 2 FROM calendar_days;
