-- Supervised objects (监管清单): the pollution sources, risk sources and environmental objects of each
-- cell, each with a risk level that sets how often it must be patrolled. Matched to the leaf cells by
-- the parcel rules (object_matches), so every object has someone responsible or shows as a defect.

-- Configurable object types; the checklist is what a grid member ticks at a check-in.
CREATE TABLE object_types (
  code           text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
  name_zh        text NOT NULL CHECK (length(name_zh) > 0),
  name_en        text NOT NULL CHECK (length(name_en) > 0),
  -- the geometry an object of this type is filed with
  geometry_kind  text NOT NULL CHECK (geometry_kind IN ('point', 'polygon', 'any')),
  -- [{ "code": "...", "labelZh": "...", "labelEn": "..." }]
  checklist      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(checklist) = 'array'),
  sort_order     smallint NOT NULL DEFAULT 100,
  active         boolean NOT NULL DEFAULT true
);

INSERT INTO object_types (code, name_zh, name_en, geometry_kind, checklist, sort_order) VALUES
  ('enterprise', '工业企业', 'Enterprise', 'any',
   '[{"code":"permit","labelZh":"排污许可证在有效期内","labelEn":"Discharge permit valid"},
     {"code":"treatment_running","labelZh":"治污设施正常运行","labelEn":"Treatment equipment running"},
     {"code":"no_visible_emission","labelZh":"无明显异常排放","labelEn":"No visible abnormal emission"}]', 10),
  ('construction_site', '建筑工地', 'Construction site', 'any',
   '[{"code":"fencing","labelZh":"围挡完整","labelEn":"Fencing complete"},
     {"code":"covering","labelZh":"裸土物料覆盖","labelEn":"Bare soil and materials covered"},
     {"code":"wheel_washing","labelZh":"出入车辆冲洗","labelEn":"Vehicle wheels washed"}]', 20),
  ('livestock_farm', '畜禽养殖场', 'Livestock farm', 'any',
   '[{"code":"manure_storage","labelZh":"粪污贮存设施防渗防雨","labelEn":"Manure storage sealed and covered"},
     {"code":"no_discharge","labelZh":"无直排","labelEn":"No direct discharge"}]', 30),
  ('boiler', '燃煤锅炉', 'Boiler', 'point',
   '[{"code":"fuel","labelZh":"未使用散煤","labelEn":"No loose coal burnt"},
     {"code":"dust_removal","labelZh":"除尘设施运行","labelEn":"Dust removal running"}]', 40),
  ('river_outfall', '入河排污口', 'River outfall', 'point',
   '[{"code":"sign","labelZh":"标志牌完好","labelEn":"Sign in place"},
     {"code":"water_clear","labelZh":"出水无异色异味","labelEn":"Outflow without colour or smell"}]', 50),
  ('sensitive_receptor', '环境敏感点', 'Sensitive receptor', 'any',
   '[{"code":"no_nuisance","labelZh":"周边无扰民污染","labelEn":"No nuisance around it"}]', 60),
  ('monitoring_station', '监测站点', 'Monitoring station', 'point',
   '[{"code":"equipment_ok","labelZh":"设备运行正常","labelEn":"Equipment running"},
     {"code":"no_interference","labelZh":"周边无人为干扰","labelEn":"No interference nearby"}]', 70);

-- How often an object of each risk level must be visited: visits per calendar month
-- (high: weekly, taken as 4 a month; medium: twice a month; low: monthly).
CREATE TABLE patrol_frequencies (
  risk_level        text PRIMARY KEY CHECK (risk_level IN ('high', 'medium', 'low')),
  visits_per_month  smallint NOT NULL CHECK (visits_per_month BETWEEN 1 AND 31)
);
INSERT INTO patrol_frequencies (risk_level, visits_per_month) VALUES ('high', 4), ('medium', 2), ('low', 1);

CREATE TABLE supervised_objects (
  id             serial PRIMARY KEY,
  region_id      integer NOT NULL REFERENCES regions (id),
  -- stable business key (unique social credit code, permit number or a county code)
  code           text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type_code      text NOT NULL REFERENCES object_types (code),
  risk_level     text NOT NULL REFERENCES patrol_frequencies (risk_level),
  geom           geometry(Geometry, 4326) NOT NULL,
  -- a point guaranteed on the object: assigns it to exactly one area in summaries
  anchor         geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED,
  -- free attributes from the filing or the import (address, contact, permit number...)
  attributes     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
  -- 填报 → 审核: filed, then accepted or returned with a reason; retired objects stay answerable
  status         text NOT NULL DEFAULT 'filed' CHECK (status IN ('filed', 'accepted', 'returned', 'retired')),
  return_reason  text,
  filed_by       integer REFERENCES users (id),
  reviewed_by    integer REFERENCES users (id),
  reviewed_at    timestamptz,
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  CHECK (GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')),
  CHECK (ST_IsValid(geom)),
  CHECK ((status = 'returned') = (return_reason IS NOT NULL))
);
CREATE INDEX supervised_objects_geom_gist ON supervised_objects USING gist (geom);
CREATE INDEX supervised_objects_anchor_gist ON supervised_objects USING gist (anchor);
CREATE INDEX supervised_objects_region_idx ON supervised_objects (region_id, status);
CREATE INDEX supervised_objects_type_idx ON supervised_objects (type_code);

-- The geometric match of each object against the leaf cells, by the parcel rules: a polygon goes to the
-- leaf cell with the largest share (ties: lowest code), a point to the leaf cell that covers it (on a
-- shared edge: lowest code); NULL cell = no leaf cell covers it (unowned).
CREATE TABLE object_matches (
  object_id   integer PRIMARY KEY REFERENCES supervised_objects (id) ON DELETE CASCADE,
  cell_id     integer REFERENCES grid_cells (id),
  placement   text NOT NULL CHECK (placement IN ('inside', 'straddling', 'uncovered')),
  -- [{ "cellId": n, "areaM2": x }] for polygons sharing more than the tolerance; [] for points
  shares      jsonb NOT NULL DEFAULT '[]',
  matched_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX object_matches_cell_idx ON object_matches (cell_id);
CREATE INDEX object_matches_placement_idx ON object_matches (placement);
