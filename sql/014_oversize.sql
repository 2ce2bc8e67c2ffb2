-- Oversize loads (docs/contract.md §13): the cargo's dimensions and mass,
-- filed with an oversize application and carried by its passes, which say
-- from them whether an escort is required (src/rules/oversize.c); and the
-- escort bookings, which the check snapshot now reads, so their changes
-- must reach it like a pass's. (013 is taken.)

-- {length_mm, width_mm, height_mm, mass_kg}, whole positive numbers. An
-- oversize application filed from now on has it and a corridor; those filed
-- before (and amendments, which keep their pass's) are left as they are.
ALTER TABLE applications ADD COLUMN cargo jsonb
    CHECK (cargo IS NULL OR jsonb_typeof(cargo) = 'object');
ALTER TABLE applications ADD CONSTRAINT applications_oversize_cargo
    CHECK (type <> 'oversize' OR kind <> 'new'
           OR (cargo IS NOT NULL AND corridor_route IS NOT NULL)) NOT VALID;
ALTER TABLE passes ADD COLUMN cargo jsonb
    CHECK (cargo IS NULL OR jsonb_typeof(cargo) = 'object');

-- An escort booked, confirmed, cancelled or completed changes which
-- booking covers an oversize trip: counted and announced like any change
-- the checks read (sql/008_snapshot_version.sql); its payload is '' (a full
-- load), since a booking names several plates.
CREATE TRIGGER escorts_checks_changed AFTER INSERT OR UPDATE OR DELETE ON escorts
    FOR EACH ROW EXECUTE FUNCTION checks_changed();
