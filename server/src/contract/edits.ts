// Boundary edits (POST /api/edits, POST /api/edits/preview, GET /api/cells/:code/history): the request
// as one object schema per operation, each with exactly its fields, and every response in full.
//
// The request is a union discriminated by `operation`. Fastify's Ajv gets it as `oneOf` with the
// `discriminator` keyword (ajv option `discriminator: true`, app.ts): Ajv then checks only the branch
// the operation names, so a bad request is answered with that branch's problem ("body parameter
// "version" … for reshape") instead of one error per operation, and type coercion touches only the
// branch that applies. TypeBox's Type.Union writes `anyOf`, which the keyword does not accept; the
// types are still TypeBox's (Static of the union).
import { Type, type Static, type TObject, type TProperties, type TSchema, type TUnion } from '@sinclair/typebox'
import { CellCodeParams } from './cells.js'
import {
  Code,
  errorResponses,
  GeoJSONGeometry,
  Lat,
  Lon,
  NON_BLANK_PATTERN,
  Nullable,
  Version,
  type RouteContract,
} from './common.js'

// spelled out: the Fastify type provider's Static reads a literal of a union type as never
export const EditOperation = Type.Union([
  Type.Literal('reshape'),
  Type.Literal('create'),
  Type.Literal('split'),
  Type.Literal('merge'),
  Type.Literal('delete'),
  Type.Literal('restore'),
  Type.Literal('fix_gap'),
  Type.Literal('fix_overlap'),
  Type.Literal('undo'),
])
export type EditOperation = Static<typeof EditOperation>

const REASON_HELP = 'why the boundary changes (kept in the history)'
/** To apply a change: say why. */
const Reason = Type.String({ maxLength: 2000, pattern: NON_BLANK_PATTERN, description: REASON_HELP })
/** To preview one: optional, nothing is kept. */
const PreviewReason = Type.Optional(Type.String({ maxLength: 2000, description: `${REASON_HELP}; optional here` }))

const CellCode = (description: string) => Code(description, 32)
const Name = Type.String({ minLength: 1, maxLength: 200 })
/** Checked by the geometry code, which says where a ring is wrong (a located 400). */
const Geometry = GeoJSONGeometry
const Point = Type.Tuple([Lon, Lat], { description: '[lon, lat], WGS84' })

/** Each operation's own fields (besides `operation` and `reason`). */
const FIELDS = {
  reshape: {
    cellCode: CellCode('the cell changed'),
    version: Version('the cell version as last read'),
    geometry: Geometry,
    clipToParent: Type.Optional(Type.Boolean({ description: 'clip the boundary to the parent cell' })),
    trimSiblings: Type.Optional(Type.Boolean({ description: 'trim the sibling cells it overlaps' })),
  },
  create: {
    parentCode: CellCode('the parent cell'),
    name: Name,
    geometry: Geometry,
    clipToParent: Type.Optional(Type.Boolean()),
    trimSiblings: Type.Optional(Type.Boolean()),
  },
  split: {
    cellCode: CellCode('the cell split'),
    version: Version('the cell version as last read'),
    line: Type.Object(GeoJSONGeometry.properties, {
      additionalProperties: true,
      description: 'a GeoJSON LineString across the cell',
    }),
    names: Type.Optional(Type.Array(Name, { maxItems: 2, description: 'names of the new cells' })),
  },
  merge: {
    keepCode: CellCode('the cell kept'),
    keepVersion: Version(),
    mergeCode: CellCode('the cell merged into it'),
    mergeVersion: Version(),
  },
  delete: { cellCode: CellCode('the cell retired'), version: Version('the cell version as last read') },
  restore: {
    cellCode: CellCode('the cell restored'),
    version: Version('the current version'),
    toVersion: Version('the version to restore'),
    trimSiblings: Type.Optional(Type.Boolean()),
  },
  fix_gap: {
    parentCode: CellCode('the parent cell whose children leave the gap'),
    point: Point,
    action: Type.Union([Type.Literal('give_to'), Type.Literal('new_cell')]),
    cellCode: Type.Optional(CellCode('give_to: the child that gets the gap')),
    cellVersion: Type.Optional(Version('give_to: its version as last read')),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'new_cell: its name' })),
  },
  fix_overlap: {
    cellCodes: Type.Tuple([CellCode('cell code'), CellCode('cell code')]),
    versions: Type.Tuple([Version(), Version()]),
    point: Point,
    giveTo: CellCode('the cell that keeps the overlap (one of cellCodes)'),
  },
  undo: { editId: Version('the saved edit to undo (from its result or the cell history)') },
} satisfies Record<EditOperation, TProperties>

const DESCRIPTION: Record<EditOperation, string> = {
  reshape: "a cell's new boundary",
  create: 'a new cell under a parent',
  split: 'a cell cut in two or more by a line',
  merge: 'two neighbouring cells become the first one',
  delete: 'a cell retired (its duties end)',
  restore: 'a cell put back as it was at an earlier version',
  fix_gap: 'the gap at a point given to a child cell, or made a new cell',
  fix_overlap: 'the overlap at a point left to one of the two cells',
  undo: 'every cell a saved edit touched put back as it was just before it; 409 if any changed since',
}

function operations<R extends TSchema>(reason: R) {
  const operation = <O extends EditOperation, P extends TProperties>(name: O, fields: P) =>
    Type.Object(
      { operation: Type.Literal(name), reason, ...fields },
      { additionalProperties: false, title: name, description: DESCRIPTION[name] },
    )
  return Type.Union([
    operation('reshape', FIELDS.reshape),
    operation('create', FIELDS.create),
    operation('split', FIELDS.split),
    operation('merge', FIELDS.merge),
    operation('delete', FIELDS.delete),
    operation('restore', FIELDS.restore),
    operation('fix_gap', FIELDS.fix_gap),
    operation('fix_overlap', FIELDS.fix_overlap),
    operation('undo', FIELDS.undo),
  ])
}

/**
 * The union as `oneOf` with the `discriminator` keyword (see the header). Typed as the TypeBox union it
 * is, so that Static (ours and the Fastify type provider's) gives the union of the operations.
 */
function discriminated<U extends TUnion<TObject[]>>(union: U, description: string): U {
  const schema = Type.Unsafe({
    type: 'object',
    required: ['operation'],
    discriminator: { propertyName: 'operation' },
    oneOf: union.anyOf,
    description,
  })
  return schema as unknown as U
}

const ApplyOperations = operations(Reason)
const PreviewOperations = operations(PreviewReason)

/** POST /api/edits: one boundary change, with the reason it is made. */
export const EditRequest = discriminated(ApplyOperations, 'One boundary change; `reason` is required to apply it')
export type EditRequest = Static<typeof EditRequest>

/** POST /api/edits/preview: the same change; the reason is optional (nothing is written). */
export const EditPreviewRequest = discriminated(PreviewOperations, 'One boundary change to preview; `reason` optional')
export type EditPreviewRequest = Static<typeof EditPreviewRequest>

type WithoutReason<T> = T extends unknown ? Omit<T, 'reason'> : never
/** A change as a client builds it, before the reason is added. */
export type EditChange = WithoutReason<EditRequest>

// ---------------------------------------------------------------------------------------------------
// Responses

export const CellChangeKind = Type.Union([
  Type.Literal('reshaped'),
  Type.Literal('created'),
  Type.Literal('retired'),
  Type.Literal('restored'),
  Type.Literal('trimmed'),
  Type.Literal('grown'),
  Type.Literal('shrunk'),
])
export type CellChangeKind = Static<typeof CellChangeKind>

export const CellChange = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    change: CellChangeKind,
    versionBefore: Nullable(Type.Integer()),
    versionAfter: Type.Integer(),
    areaBeforeM2: Nullable(Type.Number()),
    areaAfterM2: Nullable(Type.Number({ description: 'null once retired' })),
  },
  { additionalProperties: false },
)
export type CellChange = Static<typeof CellChange>

export const AccountableState = Type.Object(
  {
    status: Type.String({ description: 'matched, straddling, unowned, inherited; unknown if the parcel is new' }),
    cellCode: Nullable(Type.String()),
    accountableCode: Nullable(Type.String()),
    people: Type.Array(Type.String(), { description: '"name (role)"' }),
  },
  { additionalProperties: false },
)
export type AccountableState = Static<typeof AccountableState>

export const ParcelChange = Type.Object(
  { id: Type.Integer(), externalId: Type.String(), from: AccountableState, to: AccountableState },
  { additionalProperties: false },
)
export type ParcelChange = Static<typeof ParcelChange>

export const AreaPiece = Type.Object(
  {
    areaM2: Type.Number(),
    point: Type.Array(Type.Number(), { description: '[lon, lat] inside the piece' }),
    cellCodes: Type.Array(Type.String()),
  },
  { additionalProperties: false },
)
export type AreaPiece = Static<typeof AreaPiece>

export const AreaDiff = Type.Object(
  {
    created: Type.Array(AreaPiece),
    closed: Type.Array(AreaPiece),
    changed: Type.Array(Type.Object({ before: AreaPiece, after: AreaPiece }, { additionalProperties: false })),
  },
  { additionalProperties: false },
)
export type AreaDiff = Static<typeof AreaDiff>

export const EditResult = Type.Object(
  {
    operation: EditOperation,
    applied: Type.Boolean(),
    editId: Nullable(Type.Integer({ description: "the saved edit's id (to undo it later); null in a preview" })),
    cells: Type.Array(CellChange),
    parcels: Type.Array(ParcelChange, { description: 'parcels whose accountable cell or people change' }),
    gaps: AreaDiff,
    overlaps: AreaDiff,
    endedResponsibilities: Type.Array(Type.Integer(), { description: 'duties ended by a retired cell' }),
    warnings: Type.Optional(
      Type.Array(Type.String(), { description: 'what was done to the input (an elevation dropped)' }),
    ),
  },
  { additionalProperties: false },
)
export type EditResult = Static<typeof EditResult>

const Position = Type.Array(Type.Number())
// closed (no foreign members), unlike common.ts's Polygonal: a version's geometry is exactly what is stored
const VersionPolygon = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Position)) },
  { additionalProperties: false },
)
const VersionMultiPolygon = Type.Object(
  { type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Type.Array(Position))) },
  { additionalProperties: false },
)
export const VersionGeometry = Type.Union([VersionPolygon, VersionMultiPolygon])
export type VersionGeometry = Static<typeof VersionGeometry>

/** GET /api/cells/:code/history: one version of a cell. */
export const CellVersion = Type.Object(
  {
    version: Type.Integer(),
    name: Type.String(),
    parentCode: Nullable(Type.String()),
    retired: Type.Boolean(),
    validFrom: Type.String({ format: 'date-time' }),
    validTo: Nullable(Type.String({ format: 'date-time' })),
    changedBy: Nullable(Type.String({ description: 'null for anonymous visitors' })),
    reason: Nullable(Type.String()),
    areaM2: Nullable(Type.Number()),
    geometry: Nullable(VersionGeometry),
    editId: Nullable(
      Type.Integer({ description: 'the saved edit that wrote this version (null: an import, or older history)' }),
    ),
  },
  { additionalProperties: false },
)
export type CellVersion = Static<typeof CellVersion>
export const CellHistory = Type.Array(CellVersion)
export type CellHistory = Static<typeof CellHistory>

// An edit that cannot be made as asked (a sliver, a cell left empty, …) is refused with 422
const editResponses = { 200: EditResult, 422: errorResponses[409], ...errorResponses }

export const editsRoutes = {
  'POST /api/edits/preview': { body: EditPreviewRequest, response: editResponses },
  'POST /api/edits': { body: EditRequest, response: editResponses },
  'GET /api/cells/:code/history': { params: CellCodeParams, response: { 200: CellHistory, ...errorResponses } },
} satisfies Record<string, RouteContract>
