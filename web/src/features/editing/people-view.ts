// The people tool's view: the current responsibilities (each with "end…"), the review of an ending or
// an assignment, and the assignment form (person search, role, dates, reason).
import type { CellDetail, Role } from '../../api/types.js'
import { displayName, t, tKey } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { currentDuties, today } from './duties.js'
import type { PeopleTool } from './people-tool.js'

export function peopleView(tool: PeopleTool, c: CellDetail): HTMLElement {
  const duties = currentDuties(c.history ?? c.people, today())
  const roleSelect = h(
    'select',
    { 'data-testid': 'assign-role' },
    tool.roles.map((r) => h('option', { value: r, selected: r === tool.assignRole }, tKey(`role_${r}`, r))),
  )
  roleSelect.addEventListener('change', () => (tool.assignRole = roleSelect.value as Role))
  tool.personQuery.placeholder = t('supervisorSearch')
  const review = tool.dutyReview
    ? h(
        'div',
        { class: 'review-box', 'data-testid': 'duty-review' },
        h(
          'p',
          {},
          tool.ending
            ? t('dutyEndReview', {
                name: displayName(tool.ending),
                role: tKey(`role_${tool.ending.role}`, tool.ending.role),
                cell: displayName(c),
                date: tool.endDate.value,
              })
            : tool.assignPerson
              ? t('dutyAssignReview', {
                  name: displayName(tool.assignPerson),
                  role: tKey(`role_${tool.assignRole}`, tool.assignRole),
                  cell: displayName(c),
                  from: tool.assignStart.value,
                  until: tool.assignEnd.value || t('dutyOpenEnded'),
                })
              : '',
        ),
        h('p', { class: 'small muted' }, t('dutyReviewNote')),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'button primary',
              'data-testid': 'duty-confirm',
              onclick: () => void tool.saveDuty(),
            },
            t('confirm'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'button',
              onclick: () => {
                tool.dutyReview = false
                tool.ctx.render()
              },
            },
            t('back'),
          ),
        ),
      )
    : null
  return h(
    'section',
    { class: 'tool', 'data-testid': 'tool-people' },
    h('h3', {}, t('dutiesNow')),
    duties.length
      ? h(
          'ul',
          { class: 'item-list duties' },
          duties.map((d) =>
            h(
              'li',
              { 'data-responsibility': d.responsibilityId },
              h(
                'div',
                { class: 'row' },
                h('span', { class: 'role' }, tKey(`role_${d.role}`, d.role)),
                ' ',
                h('strong', {}, displayName(d)),
                h('span', { class: 'small muted' }, ` ${d.startsOn} – ${d.endsOn ?? ''}`),
              ),
              tool.ending?.responsibilityId === d.responsibilityId
                ? h(
                    'div',
                    { class: 'inline-form' },
                    h('label', {}, t('dutyEndsOn'), ' ', tool.endDate),
                    h('label', {}, t('dutyReason'), ' ', tool.dutyReason),
                    h(
                      'div',
                      { class: 'actions' },
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'button primary',
                          disabled: !tool.endDate.value,
                          onclick: () => {
                            tool.dutyReview = true
                            tool.ctx.render()
                          },
                        },
                        t('dutyReviewButton'),
                      ),
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'button',
                          onclick: () => {
                            tool.ending = null
                            tool.dutyReview = false
                            tool.ctx.render()
                          },
                        },
                        t('cancel'),
                      ),
                    ),
                  )
                : h(
                    'div',
                    { class: 'actions' },
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'button small-button',
                        'data-testid': 'duty-end',
                        onclick: () => {
                          tool.ending = d
                          tool.assignPerson = null
                          tool.endDate.value = today()
                          tool.dutyReview = false
                          tool.ctx.render()
                        },
                      },
                      t('dutyEnd'),
                    ),
                  ),
            ),
          ),
        )
      : h('p', { class: 'muted small' }, t('popupNoPeople')),
    tool.ending && tool.dutyReview ? review : null,
    h('h3', {}, t('dutyAssign')),
    h(
      'div',
      { class: 'inline-form' },
      h('label', {}, t('dutyPerson'), ' ', tool.personQuery),
      tool.personResults.length && !tool.assignPerson
        ? h(
            'ul',
            { class: 'item-list', 'data-testid': 'assign-person-results' },
            tool.personResults.map((p) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    'data-person': p.id,
                    onclick: () => {
                      tool.assignPerson = p
                      tool.ending = null
                      tool.ctx.render()
                    },
                  },
                  h('span', {}, displayName(p)),
                  h('span', { class: 'meta' }, p.organisation ?? ''),
                ),
              ),
            ),
          )
        : null,
      tool.assignPerson
        ? h(
            'div',
            { class: 'chosen' },
            h('strong', {}, displayName(tool.assignPerson)),
            ' ',
            h(
              'button',
              {
                type: 'button',
                class: 'icon-button',
                'aria-label': t('cancel'),
                onclick: () => {
                  tool.assignPerson = null
                  tool.dutyReview = false
                  tool.ctx.render()
                },
              },
              '×',
            ),
          )
        : null,
      h('label', {}, t('dutyRole'), ' ', roleSelect),
      h('label', {}, t('dutyStartsOn'), ' ', tool.assignStart),
      h('label', {}, t('dutyEndsOnOptional'), ' ', tool.assignEnd),
      tool.ending ? null : h('label', {}, t('dutyReason'), ' ', tool.dutyReason),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'button primary',
            'data-testid': 'assign-review',
            disabled: !tool.assignPerson || !tool.assignStart.value,
            onclick: () => {
              tool.dutyReview = true
              tool.ctx.render()
            },
          },
          t('dutyReviewButton'),
        ),
      ),
    ),
    !tool.ending && tool.dutyReview ? review : null,
  )
}
