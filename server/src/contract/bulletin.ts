// The monthly bulletin (通报, issue 12): one document per month with the ranking, the month-on-month
// change, the red and black lists, overdue ledger entries and flags, coverage gaps and vacancy-days, as
// an XLSX workbook or an A4 PDF. Both are downloads, not JSON, and are given by media type (as the flag
// export is, contract/flags-routes.ts).
import { Type, type Static } from '@sinclair/typebox'
import { errorResponses, YearMonth, type MediaResponse, type RouteContract } from './common.js'

export const BulletinFormat = Type.Union([Type.Literal('xlsx'), Type.Literal('pdf')])
export type BulletinFormat = Static<typeof BulletinFormat>
export const BulletinLang = Type.Union([Type.Literal('zh'), Type.Literal('en')], {
  description: 'labels and names: zh (the default) or en',
})
export type BulletinLang = Static<typeof BulletinLang>

export const BulletinParams = Type.Object({ month: YearMonth })
export const BulletinQuery = Type.Object(
  {
    format: BulletinFormat,
    lang: Type.Optional(BulletinLang),
  },
  { additionalProperties: false },
)
export type BulletinQuery = Static<typeof BulletinQuery>

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const Binary = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' })

/** The bulletin as a download (Content-Disposition: attachment; filename="bulletin-YYYY-MM.xlsx|pdf"). */
export const BulletinBody: MediaResponse = {
  description: 'The bulletin as an XLSX workbook or a PDF, as an attachment named bulletin-YYYY-MM.xlsx or .pdf',
  content: { [XLSX_CONTENT_TYPE]: { schema: Binary }, 'application/pdf': { schema: Binary } },
}

export const bulletinRoutes = {
  'GET /api/bulletins/:month': {
    params: BulletinParams,
    querystring: BulletinQuery,
    response: { 200: BulletinBody, ...errorResponses },
  },
} satisfies Record<string, RouteContract>
