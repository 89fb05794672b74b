// "New campaign" (inspectors and admins): code, name, line of work, period, the flag category its
// findings are filed under, the checklist (one item a line: code, a space, the label), the
// rectification limit of each severity and the townships it covers (none: the whole county). The
// server checks everything again and names what it refuses.
import type { LoopApi } from '../../api/loop-client.js'
import type { Campaign, FlagCategory, Severity, Unit } from '../../api/types.js'
import { displayName, lang, t } from '../../i18n/index.js'
import { clear, h } from '../../util/dom.js'
import { serviceToday } from '../../util/service-day.js'
import { formError } from './errors.js'

const SEVERITIES: readonly Severity[] = ['general', 'major', 'serious']
const DEFAULT_LIMITS: Record<Severity, [number, 'working_days' | 'working_hours']> = {
  general: [5, 'working_days'],
  major: [3, 'working_days'],
  serious: [1, 'working_days'],
}

export interface CampaignFormHost {
  loop: LoopApi
  categories(): Promise<FlagCategory[]>
  created(campaign: Campaign): void
}

/** "A1 工地扬尘" per line → checklist items; blank lines skipped. */
export function parseChecklist(text: string): { code: string; label: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [code, ...rest] = line.split(/\s+/)
      return { code: code!, label: rest.join(' ') || code! }
    })
}

export class CampaignForm {
  readonly el = h('form', { class: 'campaign-form inline-form', 'data-testid': 'campaign-form' })
  private units: Unit[] = []
  private categories: FlagCategory[] = []
  private error: unknown = null
  private sending = false
  private readonly input = (name: string, attrs: Record<string, string | number | boolean> = {}) =>
    h('input', { name, id: `campaign-${name}`, 'data-testid': `campaign-${name}`, ...attrs })
  private readonly code = this.input('code', { required: true, maxlength: 40 })
  private readonly name = this.input('name', { required: true, maxlength: 200 })
  private readonly line = this.input('line', { required: true, maxlength: 100 })
  private readonly startsOn = this.input('starts', { type: 'date', required: true, value: serviceToday() })
  private readonly endsOn = this.input('ends', { type: 'date', required: true })
  private readonly category = h('select', { id: 'campaign-category', 'data-testid': 'campaign-category' })
  private readonly checklist = h('textarea', {
    id: 'campaign-checklist',
    rows: 4,
    'data-testid': 'campaign-checklist',
    placeholder: 'A1 …\nA2 …',
  })
  private readonly limits = new Map(
    SEVERITIES.map((s) => [
      s,
      {
        amount: this.input(`limit-${s}`, { type: 'number', min: 1, max: 10000, value: DEFAULT_LIMITS[s][0] }),
        unit: h(
          'select',
          { 'data-testid': `campaign-unit-${s}`, 'aria-label': t(`severity_${s}`) },
          (['working_days', 'working_hours'] as const).map((u) =>
            h('option', { value: u, selected: u === DEFAULT_LIMITS[s][1] }, t(`limitUnit_${u}`)),
          ),
        ),
      },
    ]),
  )
  private readonly covered = new Set<string>()

  constructor(private readonly host: CampaignFormHost) {
    this.el.addEventListener('submit', (e) => {
      e.preventDefault()
      void this.submit()
    })
  }

  async load() {
    try {
      const [units, categories] = await Promise.all([this.host.loop.units(), this.host.categories()])
      this.units = units.filter((u) => u.kind === 'township')
      this.categories = categories.filter((c) => c.active)
    } catch (e) {
      this.error = e
    }
    this.render()
  }

  private async submit() {
    this.sending = true
    this.error = null
    this.render()
    try {
      const campaign = await this.host.loop.createCampaign({
        code: this.code.value.trim(),
        name: this.name.value.trim(),
        lineOfWork: this.line.value.trim(),
        startsOn: this.startsOn.value,
        endsOn: this.endsOn.value,
        category: this.category.value,
        checklist: parseChecklist(this.checklist.value),
        limits: Object.fromEntries(
          SEVERITIES.map((s) => {
            const l = this.limits.get(s)!
            return [s, { amount: Number(l.amount.value), unit: l.unit.value as 'working_days' | 'working_hours' }]
          }),
        ) as Campaign['limits'],
        units: [...this.covered],
      })
      this.el.reset()
      this.covered.clear()
      this.host.created(campaign)
    } catch (e) {
      this.error = e
    } finally {
      this.sending = false
    }
    this.render()
  }

  render() {
    const field = (label: string, control: HTMLElement, id: string) =>
      h('div', { class: 'field' }, h('label', { for: id }, label), control)
    const chosen = this.category.value || 'pollution'
    clear(
      this.category,
      this.categories.map((c) =>
        h('option', { value: c.code, selected: c.code === chosen }, lang() === 'en' ? c.name.en : c.name.zh),
      ),
    )
    clear(
      this.el,
      field(t('campaignCode'), this.code, 'campaign-code'),
      field(t('campaignName'), this.name, 'campaign-name'),
      field(t('campaignLine'), this.line, 'campaign-line'),
      h(
        'div',
        { class: 'field-row' },
        field(t('campaignStarts'), this.startsOn, 'campaign-starts'),
        field(t('campaignEnds'), this.endsOn, 'campaign-ends'),
      ),
      field(t('campaignCategory'), this.category, 'campaign-category'),
      field(t('campaignChecklist'), this.checklist, 'campaign-checklist'),
      h(
        'fieldset',
        {},
        h('legend', {}, t('campaignLimits')),
        SEVERITIES.map((s) =>
          h(
            'div',
            { class: 'field-row' },
            h('label', { for: `campaign-limit-${s}` }, t(`severity_${s}`)),
            this.limits.get(s)!.amount,
            this.limits.get(s)!.unit,
          ),
        ),
      ),
      h(
        'fieldset',
        { 'data-testid': 'campaign-units' },
        h('legend', {}, t('campaignUnits')),
        this.units.map((u) =>
          h(
            'label',
            { class: 'check' },
            h('input', {
              type: 'checkbox',
              value: u.code,
              checked: this.covered.has(u.code),
              onchange: (e: Event) => {
                const box = e.target as HTMLInputElement
                if (box.checked) this.covered.add(u.code)
                else this.covered.delete(u.code)
              },
            }),
            ` ${displayName(u)}`,
          ),
        ),
      ),
      this.error
        ? h('div', { class: 'inline-error', role: 'alert', 'data-testid': 'campaign-error' }, formError(this.error))
        : null,
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'submit', class: 'button primary', disabled: this.sending, 'data-testid': 'campaign-submit' },
          this.sending ? t('inspectionsSending') : t('campaignCreate'),
        ),
      ),
    )
  }
}
