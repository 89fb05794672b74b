import { Type } from '@sinclair/typebox'
import { Code, Lat, Lon, Version } from '../common.schemas.js'

// geometries are checked by the geometry code, which says where a ring is wrong
const Geometry = Type.Unknown({ description: 'GeoJSON geometry (RFC 7946), WGS84 lon/lat' })

/**
 * The fields of an edit, typed and bounded (which ones an operation needs is checked by
 * services/edit-request.ts): every version an int4, every code printable, a point [lon, lat].
 */
export const EditFields = {
  cellCode: Type.Optional(Code('the cell changed', 32)),
  version: Type.Optional(Version('the cell version as last read')),
  geometry: Type.Optional(Geometry),
  clipToParent: Type.Optional(Type.Boolean()),
  trimSiblings: Type.Optional(Type.Boolean()),
  parentCode: Type.Optional(Code('the parent cell', 32)),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  line: Type.Optional(Geometry),
  names: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 2 })),
  keepCode: Type.Optional(Code('the cell kept', 32)),
  keepVersion: Type.Optional(Version()),
  mergeCode: Type.Optional(Code('the cell merged into it', 32)),
  mergeVersion: Type.Optional(Version()),
  toVersion: Type.Optional(Version('the version to restore')),
  point: Type.Optional(
    Type.Array(Type.Number({ minimum: Lon.minimum, maximum: Lon.maximum }), {
      minItems: 2,
      maxItems: 2,
      description: `[lon, lat] (lat ${Lat.minimum}..${Lat.maximum})`,
    }),
  ),
  action: Type.Optional(Type.Union([Type.Literal('give_to'), Type.Literal('new_cell')])),
  cellVersion: Type.Optional(Version()),
  cellCodes: Type.Optional(Type.Array(Code('cell code', 32), { minItems: 2, maxItems: 2 })),
  versions: Type.Optional(Type.Array(Version(), { minItems: 2, maxItems: 2 })),
  giveTo: Type.Optional(Code('the cell that gets the overlap', 32)),
  editId: Type.Optional(Version('the saved edit to undo')),
}
