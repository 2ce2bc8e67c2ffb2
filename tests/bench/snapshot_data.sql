-- Data for tools/bench-snapshot: 10,000 zones of 20-60 vertices (buffers
-- of 5-15 segments a quarter) over a 40 km city, one rule each, and
-- 1,000,000 vehicles, each with one pass (every fifth with a corridor).
INSERT INTO zones (name, geom, sent_as_polygon, rules)
SELECT 'snap ' || i,
       ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(118.1 + random() * 0.4, 34.9 + random() * 0.35), 4326),
                          0.001 + random() * 0.004, 5 + i % 11)),
       true,
       '[{"id": "00000000-0000-4000-8000-000000000001", "vehicle_classes": ["heavy_truck"],
          "exempt_classes": [], "min_gross_weight_kg": 4500, "hazmat_only": false,
          "hours": "Mo-Fr 07:00-09:00,17:00-19:00", "valid_from": null, "valid_to": null,
          "liftable_by": ["construction", "urban_delivery"]}]'
  FROM generate_series(1, 10000) i;
INSERT INTO orgs (name, kind) VALUES ('Snapshot Haulage', 'haulier');
INSERT INTO users (org_id, org_kind, name, role, token_hash)
SELECT id, 'haulier', 'snapshot user', 'haulier', decode(repeat('ab', 32), 'hex') FROM orgs
 WHERE name = 'Snapshot Haulage';
INSERT INTO vehicles (plate, org_id, org_kind, class, gross_weight_kg)
SELECT 'S' || lpad(i::text, 7, '0'), (SELECT id FROM orgs WHERE name = 'Snapshot Haulage'),
       'haulier', 'heavy_truck', 5000 + i % 30000
  FROM generate_series(1, 1000000) i;
INSERT INTO applications (org_id, applicant_id, type, plates, valid_from, valid_to, status, due_at)
SELECT o.id, u.id, 'construction', '{X}', '2026-12-01', '2026-12-31', 'queued', now()
  FROM orgs o JOIN users u ON u.org_id = o.id WHERE o.name = 'Snapshot Haulage';
CREATE TEMP TABLE zone_n AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM zones;
CREATE INDEX ON zone_n (n);
INSERT INTO passes (code, application_id, plate, type, zone_ids, corridor_route,
                    corridor_width_m, valid_from, valid_to, hours, status)
SELECT 'HP-2026-' || lpad(upper(to_hex(i)), 8, '0') || '0',
       (SELECT id FROM applications LIMIT 1), 'S' || lpad(i::text, 7, '0'), 'construction',
       ARRAY(SELECT id FROM zone_n WHERE n = 1 + i % 10000),
       CASE WHEN i % 5 = 0 THEN ST_SetSRID(ST_MakeLine(ST_MakePoint(118.2, 35.0),
                                                       ST_MakePoint(118.3, 35.05)), 4326) END,
       CASE WHEN i % 5 = 0 THEN 100 END,
       '2026-12-01', '2026-12-31', CASE WHEN i % 2 = 0 THEN 'Mo-Fr 06:00-22:00' END, 'active'
  FROM generate_series(1, 1000000) i;
