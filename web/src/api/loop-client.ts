// The accountability loop's endpoints (units and letters, ledgers, assessment, continuity, bulletin),
// over the one ApiClient (its session, CSRF token and error shape). Kept apart from client.ts, which
// holds the map's and the flags' endpoints.
import { queryString, type ApiClient } from './client.js'
import type {
  AssessmentTrend,
  Campaign,
  CampaignBody,
  CampaignList,
  CampaignReport,
  Finding,
  FindingBody,
  FindingList,
  LedgerEntryDetail,
  LedgerList,
  LedgerProgress,
  LedgerState,
  LedgerSummary,
  Letter,
  MonthAssessment,
  ReviewQueue,
  Unit,
  UnitAssessment,
  UnitDetail,
  UnitProgress,
  VacancyDays,
} from './types.js'

const enc = encodeURIComponent

export interface LedgerFilters {
  month?: string
  unit?: string
  line?: string
  state?: LedgerState
  overdue?: boolean
  all?: boolean
}

export class LoopApi {
  constructor(readonly api: ApiClient) {}

  private put<T>(path: string, body: unknown) {
    return this.api.request<T>('PUT', path, { body }).then((r) => r.data)
  }

  // --- units and letters -------------------------------------------------------------------------
  units = (signal?: AbortSignal) => this.api.get<Unit[]>('/api/units', undefined, signal)
  myUnits = (signal?: AbortSignal) => this.api.get<Unit[]>('/api/units/mine', undefined, signal)
  unit = (code: string, signal?: AbortSignal) => this.api.get<UnitDetail>(`/api/units/${enc(code)}`, undefined, signal)
  letters = (year: number, signal?: AbortSignal) => this.api.get<Letter[]>('/api/letters', { year }, signal)
  letter = (code: string, year: number, signal?: AbortSignal) =>
    this.api.get<Letter>(`/api/units/${enc(code)}/letters/${year}`, undefined, signal)
  progress = (code: string, year: number, signal?: AbortSignal) =>
    this.api.get<UnitProgress>(`/api/units/${enc(code)}/progress`, { year }, signal)
  static letterScanUrl = (code: string, year: number) => `/api/units/${enc(code)}/letters/${year}/scan`

  // --- ledgers -----------------------------------------------------------------------------------
  ledgers = (f: LedgerFilters, signal?: AbortSignal) =>
    this.api.get<LedgerList>('/api/ledgers', { ...f, limit: 1000 }, signal)
  ledger = (id: number, signal?: AbortSignal) =>
    this.api.get<LedgerEntryDetail>(`/api/ledgers/${id}`, undefined, signal)
  reviewQueue = (month: string | undefined, signal?: AbortSignal) =>
    this.api.get<ReviewQueue>('/api/ledgers/review-queue', { month }, signal)
  ledgerSummary = (month: string, signal?: AbortSignal) =>
    this.api.get<LedgerSummary>('/api/ledgers/summary', { month }, signal)
  saveLedger = (
    id: number,
    body: { version: number; doneValue?: number | null; doneText?: string; progress?: LedgerProgress },
  ) => this.put<LedgerEntryDetail>(`/api/ledgers/${id}`, body)
  ledgerAction = (id: number, action: 'submit' | 'accept', version: number) =>
    this.api.post<LedgerEntryDetail>(`/api/ledgers/${id}/${action}`, { version })
  returnLedger = (id: number, version: number, reason: string) =>
    this.api.post<LedgerEntryDetail>(`/api/ledgers/${id}/return`, { version, reason })
  /** Evidence as multipart/form-data (files, no base64 overhead), like the flag photos. */
  async addEvidence(id: number, version: number, files: File[]): Promise<LedgerEntryDetail> {
    const form = new FormData()
    form.set('version', String(version))
    for (const f of files) form.append('files', f, f.name)
    return (await this.api.request<LedgerEntryDetail>('POST', `/api/ledgers/${id}/evidence`, { form })).data
  }
  static evidenceUrl = (id: number, evidenceId: number) => `/api/ledgers/${id}/evidence/${evidenceId}`

  // --- assessment, continuity, bulletin -----------------------------------------------------------
  assessment = (month: string, signal?: AbortSignal) =>
    this.api.get<MonthAssessment>(`/api/assessment/${month}`, undefined, signal)
  unitAssessment = (month: string, code: string, signal?: AbortSignal) =>
    this.api.get<UnitAssessment>(`/api/assessment/${month}/units/${enc(code)}`, undefined, signal)
  trend = (year: number, unit: string, signal?: AbortSignal) =>
    this.api.get<AssessmentTrend>('/api/assessment/trend', { year, unit }, signal)
  closeMonth = (month: string) => this.api.post<MonthAssessment>(`/api/assessment/${month}/close`, {})
  vacancyDays = (month: string, signal?: AbortSignal) =>
    this.api.get<VacancyDays>('/api/continuity/vacancy-days', { month }, signal)
  static bulletinUrl = (month: string, format: 'xlsx' | 'pdf', lang: 'zh' | 'en') =>
    `/api/bulletins/${month}${queryString({ format, lang })}`

  // --- inspections (督查) and their findings -------------------------------------------------------
  createCampaign = (body: CampaignBody) => this.api.post<Campaign>('/api/inspections', body)
  campaigns = (signal?: AbortSignal) => this.api.get<CampaignList>('/api/inspections', undefined, signal)
  campaignReport = (id: number, signal?: AbortSignal) =>
    this.api.get<CampaignReport>(`/api/inspections/${id}/report`, undefined, signal)
  findings = (id: number, signal?: AbortSignal) =>
    this.api.get<FindingList>(`/api/inspections/${id}/findings`, undefined, signal)
  /** A finding, with the key it is kept under should the answer be lost (the outbox sends it again). */
  recordFinding = (campaign: Campaign, body: FindingBody, idempotencyKey: string) =>
    this.api
      .request<Finding>('POST', LoopApi.findingsPath(campaign.id), {
        body,
        headers: { 'idempotency-key': idempotencyKey },
      })
      .then((r) => r.data)
  static findingsPath = (campaignId: number) => `/api/inspections/${campaignId}/findings`
}
