import { PGlite } from '@electric-sql/pglite'; import { postgis } from '@electric-sql/pglite-postgis';
import { readFileSync } from 'node:fs';
const db = await PGlite.create({ extensions: { postgis } }); await db.exec('CREATE EXTENSION postgis');
const fc = JSON.parse(readFileSync('/tmp/fx/out1/cells.geojson','utf8'));
await db.query(`CREATE TABLE vc (code text, level int, parent text, geom geometry(MultiPolygon,4326))`);
for (const f of fc.features) await db.query(`INSERT INTO vc VALUES ($1,$2,$3,ST_SetSRID(ST_GeomFromGeoJSON($4),4326))`, [f.properties.code, f.properties.level, f.properties.parentCode, JSON.stringify(f.geometry)]);
const r = await db.query(`SELECT t.code, (SELECT count(*) FROM vc v WHERE v.parent = t.code) n, ST_Area(t.geom::geography) ta, (SELECT sum(ST_Area(v.geom::geography)) FROM vc v WHERE v.parent = t.code) va FROM vc t WHERE t.level=2`);
console.log(r.rows);
