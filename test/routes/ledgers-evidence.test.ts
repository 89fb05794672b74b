// Evidence of a ledger entry: JSON base64 and multipart uploads, typed by content (JPEG, PNG, WebP, PDF),
// size and count limits (4 KiB, 3 files per entry in these tests), downloads and who may read them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app.js'
import { ledgerApp, ledgerCounts, loopWorld, sh, type LoopWorld, type Officer } from '../helpers/loop-world.js'
import { GIF, JPEG, multipart, PNG, WEBP } from './flags.helpers.js'

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300, 0x20), Buffer.from('\n%%EOF\n')])
const NOW = sh('2026-11-03', '10:00')

let t: TestApp
let w: LoopWorld
beforeAll(async () => {
  t = await ledgerApp()
  t.clock.now = NOW
  w = await loopWorld(t, ['2026-08', '2026-09', '2026-10'])
})
afterAll(async () => t.close())
beforeEach(() => {
  t.clock.now = NOW
})

const b64 = (b: Buffer) => b.toString('base64')
const versionOf = async (id: number) =>
  (await t.app.inject({ method: 'GET', url: `/api/ledgers/${id}`, headers: w.admin.headers })).json().version as number
const upload = (id: number, who: Officer, payload: unknown) =>
  t.app.inject({ method: 'POST', url: `/api/ledgers/${id}/evidence`, headers: who.headers, payload: payload as object })

describe('POST /api/ledgers/:id/evidence', () => {
  it('JSON base64: a photo and a PDF stored at the new version, typed by content, served back byte for byte', async () => {
    const id = w.entry('A', '2026-10')
    const before = await ledgerCounts(t.database.db)
    const res = await upload(id, w.officerA, {
      version: 1,
      files: [
        { data: b64(JPEG), contentType: 'image/jpeg', filename: 'site.jpg' },
        { data: `data:application/pdf;base64,${b64(PDF)}`, filename: '记录.pdf' },
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    const e = res.json()
    expect(e.version).toBe(2)
    expect(e.evidence.map((f: any) => [f.contentType, f.sizeBytes, f.version, f.filename])).toEqual([
      ['image/jpeg', JPEG.length, 2, 'site.jpg'],
      ['application/pdf', PDF.length, 2, '记录.pdf'],
    ])
    expect(e.evidenceCount).toBe(2)
    expect(e.versions.at(-1)).toMatchObject({ version: 2, action: 'save', actorLogin: w.officerA.login })
    const after = await ledgerCounts(t.database.db)
    expect([after.evidence - before.evidence, after.versions - before.versions, after.audit - before.audit]).toEqual([
      2, 1, 1,
    ])
    const readAs = async (who: Officer, status: number) => {
      const file = await t.app.inject({
        method: 'GET',
        url: `/api/ledgers/${id}/evidence/${e.evidence[1].id}`,
        headers: who.headers,
      })
      expect(file.statusCode, who.login).toBe(status)
      if (status === 200) {
        expect(file.headers['content-type']).toBe('application/pdf')
        expect(file.rawPayload.equals(PDF)).toBe(true)
      }
    }
    // while a draft: its own unit's officers, viewers and admins; not the line's reviewers, not other units
    for (const [who, status] of [
      [w.officerA2, 200],
      [w.viewer, 200],
      [w.reviewer, 403],
      [w.officerB, 403],
    ] as const)
      await readAs(who, status)
    // handed in: the line's reviewers judge it by its evidence; other units' officers still may not
    const submit = await t.app.inject({
      method: 'POST',
      url: `/api/ledgers/${id}/submit`,
      headers: w.officerA.headers,
      payload: { version: 2 },
    })
    expect(submit.statusCode, submit.body).toBe(200)
    await readAs(w.reviewer, 200)
    await readAs(w.officerB, 403)
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/ledgers/${id}/evidence/999999`,
      headers: w.admin.headers,
    })
    expect(missing.statusCode).toBe(404)
  })

  it('multipart/form-data from a phone form: "version" and files in "files"', async () => {
    const id = w.entry('B', '2026-10')
    const form = multipart({ version: '1' }, [
      { field: 'files', filename: 'IMG_1.png', type: 'image/png', data: PNG },
      { field: 'files', filename: 'IMG_2.webp', type: 'image/webp', data: WEBP },
    ])
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/ledgers/${id}/evidence`,
      headers: { ...w.officerB.headers, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().evidence.map((f: any) => f.contentType)).toEqual(['image/png', 'image/webp'])
  })

  it('refuses a wrong type, a mismatch, an oversized file, too many files, bad base64 — nothing written', async () => {
    const id = w.entry('A', '2026-09')
    const version = await versionOf(id)
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0x20)])
    const cases: [unknown, number, string, RegExp][] = [
      [
        { version, files: [{ data: b64(PNG), contentType: 'application/pdf' }] },
        415,
        'evidence_type_mismatch',
        /declared as application\/pdf but its content is image\/png/,
      ],
      [
        { version, files: [{ data: b64(GIF), filename: 'a.gif' }] },
        415,
        'unsupported_evidence_type',
        /file 1 \(a\.gif\) is not a JPEG, PNG or WebP image or a PDF/,
      ],
      [
        { version, files: [{ data: b64(big), filename: 'big.pdf' }] },
        413,
        'evidence_too_large',
        /big\.pdf\) has 4105 bytes; at most 4096/,
      ],
      [
        { version, files: [PDF, PDF, PDF, PDF].map((b) => ({ data: b64(b) })) },
        400,
        'too_many_evidence_files',
        /at most 3/,
      ],
      [{ version, files: [{ data: '***' }] }, 400, 'invalid_evidence', /not base64/],
      [{ version, files: [] }, 400, 'no_evidence', /no file/],
      [{ version: version + 5, files: [{ data: b64(PDF) }] }, 409, 'version_conflict', /version/],
    ]
    const before = await ledgerCounts(t.database.db)
    for (const [body, status, code, message] of cases) {
      const res = await upload(id, w.officerA, body)
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status)
      expect(res.json().error.code).toBe(code)
      expect(res.json().error.message).toMatch(message)
    }
    // multipart: a file over the limit, and more files than allowed
    for (const [files, status, code] of [
      [[{ field: 'files', filename: 'big.pdf', type: 'application/pdf', data: big }], 413, 'evidence_too_large'],
      [
        [1, 2, 3, 4].map((i) => ({ field: 'files', filename: `${i}.pdf`, type: 'application/pdf', data: PDF })),
        400,
        'too_many_evidence_files',
      ],
      [[{ field: 'photos', filename: 'x.pdf', type: 'application/pdf', data: PDF }], 400, 'invalid_request'],
    ] as const) {
      const form = multipart({ version: String(version) }, [...files])
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/ledgers/${id}/evidence`,
        headers: { ...w.officerA.headers, 'content-type': form.contentType },
        payload: form.payload,
      })
      expect(res.statusCode, res.body).toBe(status)
      expect(res.json().error.code).toBe(code)
    }
    expect(await ledgerCounts(t.database.db)).toEqual(before)
  })

  it('the count limit counts the files the entry already has', async () => {
    const id = w.entry('A', '2026-08')
    let res = await upload(id, w.officerA, { version: 1, files: [{ data: b64(PDF) }, { data: b64(JPEG) }] })
    expect(res.statusCode).toBe(200)
    const before = await ledgerCounts(t.database.db)
    res = await upload(id, w.officerA, { version: 2, files: [{ data: b64(PDF) }, { data: b64(PDF) }] })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toMatch(/has 2 evidence file\(s\) and 2 were sent; at most 3/)
    expect(await ledgerCounts(t.database.db)).toEqual(before)
    res = await upload(id, w.officerA, { version: 2, files: [{ data: b64(PDF) }] })
    expect(res.statusCode).toBe(200)
  })

  it('only while draft or returned, and only by an officer of the unit', async () => {
    const id = w.entry('B', '2026-09')
    expect((await upload(id, w.officerA, { version: 1, files: [{ data: b64(PDF) }] })).statusCode).toBe(403)
    await t.app.inject({
      method: 'POST',
      url: `/api/ledgers/${id}/submit`,
      headers: w.officerB.headers,
      payload: { version: 1 },
    })
    const before = await ledgerCounts(t.database.db)
    const res = await upload(id, w.officerB, { version: 2, files: [{ data: b64(PDF) }] })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('entry_submitted')
    expect(await ledgerCounts(t.database.db)).toEqual(before)
  })
})
