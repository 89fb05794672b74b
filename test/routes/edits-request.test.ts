// The edit request's schema (contract/edits.ts): one object per operation with exactly its fields. A
// request that breaks it is answered 400 with a message naming the operation and the field, and nothing
// is written. The request check runs before any database work, so one world serves the whole file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box } from '../helpers/factories.js'
import { editState } from '../helpers/edit-state.js'
import { editWorld } from '../helpers/edit-world.js'

let t: TestApp
let admin: Record<string, string>

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  await editWorld(t.database.db)
})
afterAll(async () => t?.close())

const post = (payload: object, preview: boolean) =>
  t.app.inject({ method: 'POST', url: preview ? '/api/edits/preview' : '/api/edits', headers: admin, payload })

/** A well-formed request per operation; `optional` lists the fields it may leave out. */
const VALID: Record<string, { body: Record<string, unknown>; optional: string[] }> = {
  reshape: {
    body: { cellCode: 'T001', version: 1, geometry: box(113, 35, 113.009, 35.01), clipToParent: false },
    optional: ['clipToParent'],
  },
  create: {
    body: { parentCode: 'T', name: '新网格', geometry: box(113.021, 35.0085, 113.029, 35.0095), trimSiblings: false },
    optional: ['trimSiblings'],
  },
  split: {
    body: {
      cellCode: 'T001',
      version: 1,
      line: {
        type: 'LineString',
        coordinates: [
          [113.005, 34.999],
          [113.005, 35.011],
        ],
      },
      names: ['西', '东'],
    },
    optional: ['names'],
  },
  merge: { body: { keepCode: 'T001', keepVersion: 1, mergeCode: 'T002', mergeVersion: 1 }, optional: [] },
  delete: { body: { cellCode: 'T003', version: 1 }, optional: [] },
  restore: { body: { cellCode: 'T001', version: 1, toVersion: 1 }, optional: [] },
  fix_gap: {
    body: { parentCode: 'T', point: [113.025, 35.009], action: 'give_to', cellCode: 'T003', cellVersion: 1 },
    optional: ['cellCode', 'cellVersion'],
  },
  fix_overlap: {
    body: { cellCodes: ['T001', 'T002'], versions: [1, 1], point: [113.01, 35.005], giveTo: 'T001' },
    optional: [],
  },
  undo: { body: { editId: 1 }, optional: [] },
}
const OPERATIONS = Object.keys(VALID)
const request = (operation: string, body = VALID[operation]!.body) => ({ operation, ...body, reason: 'a test' })

describe('POST /api/edits and /api/edits/preview: the request schema', () => {
  it('takes the well-formed request of every operation past the schema (the answer is not a 400)', async () => {
    for (const operation of OPERATIONS) {
      const res = await post(request(operation), true)
      expect(res.statusCode, `${operation}: ${res.body}`).not.toBe(400)
    }
  })

  it('refuses an unknown or missing operation with 400 listing the operations; nothing written', async () => {
    const before = await editState(t.database.db)
    for (const preview of [true, false]) {
      for (const body of [
        request('reshape', { ...VALID.reshape!.body, operation: 'move' }),
        { cellCode: 'T001', version: 1, reason: 'a test' },
        { operation: 7, cellCode: 'T001', version: 1, reason: 'a test' },
      ]) {
        const res = await post(body, preview)
        expect(res.statusCode, res.body).toBe(400)
        const error = res.json().error
        expect(error.code).toBe('invalid_request')
        expect(error.message).toContain('body parameter "operation"')
        if (body.operation !== undefined) expect(error.message).toContain(`must be one of ${OPERATIONS.join(', ')}`)
      }
    }
    expect(await editState(t.database.db)).toBe(before)
  })

  it('names each missing field and its operation with 400; nothing written', async () => {
    const before = await editState(t.database.db)
    const failures: string[] = []
    for (const operation of OPERATIONS) {
      const { body, optional } = VALID[operation]!
      for (const field of Object.keys(body).filter((f) => !optional.includes(f))) {
        const { [field]: _left, ...rest } = body
        for (const preview of [true, false]) {
          const res = await post(request(operation, rest), preview)
          const message: string = res.json().error?.message ?? ''
          if (res.statusCode !== 400 || message !== `body parameter "${field}" is required for ${operation}`)
            failures.push(`${operation} without ${field}: ${res.statusCode} ${message}`)
        }
      }
    }
    expect(failures).toEqual([])
    expect(await editState(t.database.db)).toBe(before)
  })

  it("refuses a field that is not the operation's with 400 naming it; nothing written", async () => {
    const before = await editState(t.database.db)
    // each operation gets a field of another one (or of none)
    const extras: Record<string, Record<string, unknown>> = {
      reshape: { editId: 1 },
      create: { version: 1 },
      split: { geometry: box(113, 35, 113.005, 35.01) },
      merge: { cellCode: 'T001' },
      delete: { trimSiblings: true },
      restore: { clipToParent: true },
      fix_gap: { giveTo: 'T003' },
      fix_overlap: { action: 'give_to' },
      undo: { colour: 'red' },
    }
    const failures: string[] = []
    for (const operation of OPERATIONS) {
      const [field] = Object.keys(extras[operation]!)
      for (const preview of [true, false]) {
        const res = await post(request(operation, { ...VALID[operation]!.body, ...extras[operation] }), preview)
        const message: string = res.json().error?.message ?? ''
        if (
          res.statusCode !== 400 ||
          !message.startsWith(`body parameter "${field}" is not a parameter of ${operation}`)
        )
          failures.push(`${operation} with ${field}: ${res.statusCode} ${message}`)
      }
    }
    expect(failures).toEqual([])
    expect(await editState(t.database.db)).toBe(before)
  })

  it('names a wrong value, its field and operation; a blank reason is refused only when applying', async () => {
    const before = await editState(t.database.db)
    const wrongVersion = await post(request('delete', { cellCode: 'T003', version: 0 }), false)
    expect(wrongVersion.statusCode).toBe(400)
    expect(wrongVersion.json().error.message).toBe('body parameter "version" must be >= 1 for delete')
    const farPoint = await post(request('fix_gap', { ...VALID.fix_gap!.body, point: [113.025, 95] }), true)
    expect(farPoint.statusCode).toBe(400)
    expect(farPoint.json().error.message).toBe('body parameter "point.1" must be <= 90 for fix_gap')
    const blank = await post({ ...request('undo'), reason: '  ' }, false)
    expect(blank.statusCode).toBe(400)
    expect(blank.json().error.message).toBe('body parameter "reason" must not be blank for undo')
    const noReason = await post({ operation: 'undo', editId: 1 }, false)
    expect(noReason.json().error.message).toBe('body parameter "reason" is required for undo')
    // a preview needs no reason: this one gets past the schema (edit 1 does not exist: 404)
    expect((await post({ operation: 'undo', editId: 1 }, true)).statusCode).toBe(404)
    expect(await editState(t.database.db)).toBe(before)
  })
})
