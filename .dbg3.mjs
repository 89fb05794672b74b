import { PGlite } from '@electric-sql/pglite'; import { postgis } from '@electric-sql/pglite-postgis';
import { readFileSync } from 'node:fs';
const db = await PGlite.create({ extensions: { postgis } }); await db.exec('CREATE EXTENSION postgis');
const fc = JSON.parse(readFileSync('/tmp/fx/out1/cells.geojson','utf8'));
await db.query(`CREATE TABLE vc (code text, level int, parent text, geom geometry(MultiPolygon,4326))`);
for (const f of fc.features) await db.query(`INSERT INTO vc VALUES ($1,$2,$3,ST_SetSRID(ST_GeomFromGeoJSON($4),4326))`, [f.properties.code, f.properties.level, f.properties.parentCode, JSON.stringify(f.geometry)]);
for (const code of ['410822','410822200','410822200220']) {
const r = await db.query(`SELECT (d).path, ST_AsText((d).geom) p FROM (SELECT ST_DumpPoints(geom) d FROM vc WHERE code=$1) s WHERE ST_DWithin((d).geom, ST_SetSRID(ST_MakePoint(112.99009463333331, 35.36245373333333),4326), 0.0006) ORDER BY (d).path`, [code]);
console.log(code, r.rows.map(x => x.path.join('.') + ' ' + x.p).join('\n'));
}
