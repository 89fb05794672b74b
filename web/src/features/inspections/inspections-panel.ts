// Inspections (督查): pick a campaign; an inspector records findings (finding-form.ts); everyone reads the
// campaign report (督查通报: findings by unit, open, overdue, rectified on time or late) and the list of
// findings, each opening its rectification item (the flag, where the handler reports the rectification
// with evidence and another person verifies it).
import { isAbort } from '../../api/client.js'
import type { Campaign, CampaignReport, Finding, FindingCounts, FlagCategory } from '../../api/types.js'
import { displayName, t } from '../../i18n/index.js'
import { inlineError } from '../../panels/errors.js'
import { clear, h } from '../../util/dom.js'
import { formatDateTime } from '../flags/format.js'
import { CampaignForm } from './campaign-form.js'
import { FindingForm, type FindingFormHost } from './finding-form.js'

export interface InspectionsHost extends FindingFormHost {
  /** inspectors and admins open campaigns and record findings */
  mayRecord: boolean
  categories(): Promise<FlagCategory[]>
}

const COLUMNS: [keyof FindingCounts, Parameters<typeof t>[0]][] = [
  ['findings', 'inspectionsFindings'],
  ['open', 'inspectionsOpen'],
  ['overdue', 'inspectionsOverdue'],
  ['rectifiedOnTime', 'inspectionsOnTime'],
  ['rectifiedLate', 'inspectionsLate'],
]

export class InspectionsPanel {
  readonly el = h('div', { class: 'inspections', 'data-testid': 'inspections-panel' })
  private campaigns: Campaign[] | null = null
  private campaignId: number | null = null
  private report: CampaignReport | null = null
  private findings: Finding[] = []
  private error: unknown = null
  private controller: AbortController | null = null
  private readonly form: FindingForm | null
  private readonly campaignForm: CampaignForm | null

  constructor(private readonly host: InspectionsHost) {
    this.form = host.mayRecord
      ? new FindingForm({
          ...host,
          recorded: () => {
            host.recorded()
            void this.loadCampaign()
          },
        })
      : null
    this.campaignForm = host.mayRecord
      ? new CampaignForm({
          loop: host.loop,
          categories: () => host.categories(),
          created: (campaign) => {
            this.campaignId = campaign.id
            void this.load()
          },
        })
      : null
    this.render()
  }

  activate() {
    this.form?.activate()
    void this.campaignForm?.load()
    void this.load()
  }

  deactivate() {
    this.form?.deactivate()
  }

  private get campaign(): Campaign | null {
    return this.campaigns?.find((c) => c.id === this.campaignId) ?? null
  }

  private async load() {
    try {
      this.campaigns = (await this.host.loop.campaigns()).campaigns
      this.error = null
      if (!this.campaign) this.campaignId = this.campaigns[0]?.id ?? null
      this.form?.setCampaign(this.campaign)
    } catch (e) {
      this.error = e
    }
    this.render()
    await this.loadCampaign()
  }

  private async loadCampaign() {
    const id = this.campaignId
    this.controller?.abort()
    if (id === null) return
    const controller = new AbortController()
    this.controller = controller
    try {
      const [report, findings] = await Promise.all([
        this.host.loop.campaignReport(id, controller.signal),
        this.host.loop.findings(id, controller.signal),
      ])
      this.report = report
      this.findings = findings.findings
      this.error = null
    } catch (e) {
      if (isAbort(e)) return
      this.error = e
    }
    this.render()
  }

  private choose(id: number) {
    this.campaignId = id
    this.report = null
    this.findings = []
    this.form?.setCampaign(this.campaign)
    this.render()
    void this.loadCampaign()
  }

  render() {
    const campaign = this.campaign
    const none = this.campaigns !== null && this.campaigns.length === 0
    clear(
      this.el,
      this.error ? inlineError(this.error) : null,
      none ? h('p', { class: 'muted' }, t('inspectionsNone')) : null,
      this.campaignForm
        ? h(
            'details',
            { class: 'section', open: none, 'data-testid': 'campaign-new' },
            h('summary', {}, t('campaignNew')),
            this.campaignForm.el,
          )
        : null,
      this.campaigns
        ? h(
            'label',
            { class: 'field-label' },
            t('inspectionsCampaign'),
            h(
              'select',
              {
                'data-testid': 'campaign-select',
                onchange: (e: Event) => this.choose(Number((e.target as HTMLSelectElement).value)),
              },
              this.campaigns.map((c) =>
                h('option', { value: String(c.id), selected: c.id === this.campaignId }, `${c.code} ${c.name}`),
              ),
            ),
          )
        : null,
      campaign
        ? h(
            'p',
            { class: 'small muted' },
            t('inspectionsPeriod', { from: campaign.startsOn, to: campaign.endsOn, line: campaign.lineOfWork }),
          )
        : null,
      this.form && campaign
        ? h('details', { class: 'section', open: true }, h('summary', {}, t('inspectionsRecord')), this.form.el)
        : null,
      this.report ? reportView(this.report) : null,
      campaign ? this.listView() : null,
    )
    this.form?.render()
    this.campaignForm?.render()
  }

  private listView(): HTMLElement {
    return h(
      'section',
      { class: 'section' },
      h('h3', {}, t('inspectionsList')),
      this.findings.length === 0
        ? h('p', { class: 'muted' }, t('inspectionsListEmpty'))
        : h(
            'ul',
            { class: 'finding-list', 'data-testid': 'finding-list' },
            this.findings.map((f) =>
              h(
                'li',
                { 'data-finding': String(f.id), 'data-state': f.state, class: f.overdue ? 'overdue' : '' },
                h(
                  'button',
                  { type: 'button', class: 'link', onclick: () => this.host.openFlag(f.flagId) },
                  `#${f.flagId} ${f.checklistItem} ${f.checklistLabel}`,
                ),
                h(
                  'div',
                  { class: 'small' },
                  [
                    t(`severity_${f.severity}`),
                    f.unit ? displayName(f.unit) : t('inspectionsNoUnit'),
                    t(`flagState_${f.state}`),
                    t('inspectionsDue', { due: formatDateTime(f.dueAt) }),
                    f.escalationLevel ? t('inspectionsEscalated', { n: f.escalationLevel }) : '',
                  ]
                    .filter(Boolean)
                    .join(' · '),
                ),
              ),
            ),
          ),
    )
  }
}

interface CountsRow {
  key: string
  name: string
  counts: FindingCounts
}

/** One breakdown of the report: a row per unit (item, severity) and, for the units, the total. */
function countsTable(testId: string, first: Parameters<typeof t>[0], rows: CountsRow[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'loop-table', 'data-testid': testId },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t(first)),
          COLUMNS.map(([, label]) => h('th', { scope: 'col' }, t(label))),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map(({ key, name, counts }) =>
          h(
            'tr',
            { 'data-row': key },
            h('th', { scope: 'row' }, name),
            COLUMNS.map(([k]) =>
              h('td', { class: `num${k === 'overdue' && counts[k] > 0 ? ' warn' : ''}` }, String(counts[k])),
            ),
          ),
        ),
      ),
    ),
  )
}

function reportView(r: CampaignReport): HTMLElement {
  return h(
    'section',
    { class: 'section', 'data-testid': 'campaign-report' },
    h(
      'h3',
      {},
      t('inspectionsReport'),
      ' ',
      h('small', { class: 'muted' }, t('inspectionsAsOf', { time: formatDateTime(r.asOf) })),
    ),
    countsTable('report-units', 'inspectionsUnit', [
      ...r.units.map((u) => ({
        key: u.unit?.code ?? '-',
        name: u.unit ? displayName(u.unit) : t('inspectionsNoUnit'),
        counts: u.counts,
      })),
      { key: 'total', name: t('inspectionsTotal'), counts: r.totals },
    ]),
    h(
      'details',
      {},
      h('summary', {}, t('inspectionsByItem')),
      countsTable(
        'report-items',
        'inspectionsItem',
        r.checklist.map((k) => ({ key: k.code, name: `${k.code} ${k.label}`, counts: k.counts })),
      ),
      countsTable(
        'report-severities',
        'inspectionsSeverity',
        r.severities.map((x) => ({ key: x.severity, name: t(`severity_${x.severity}`), counts: x.counts })),
      ),
    ),
  )
}
