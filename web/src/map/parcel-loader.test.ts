import { describe, expect, it } from 'vitest'
import type { Bbox } from '../api/types.js'
import { containsBbox, padBbox, planParcelLoad, snapBbox, snapStep } from './parcel-loader.js'

const view = (bbox: Bbox, zoom: number) => ({ bbox, zoom })

describe('planParcelLoad', () => {
  const bbox: Bbox = [113.05, 35.16, 113.07, 35.17]

  it('loads nothing below the minimum zoom', () => {
    expect(planParcelLoad(view(bbox, 12.9), null, 13)).toEqual({ action: 'clear' })
  })

  it('loads a padded, snapped bbox that contains the view', () => {
    const plan = planParcelLoad(view(bbox, 14), null, 13)
    expect(plan.action).toBe('load')
    if (plan.action !== 'load') return
    expect(containsBbox(plan.bbox, bbox)).toBe(true)
    const step = snapStep(14)
    for (const n of plan.bbox) expect(Math.abs(n / step - Math.round(n / step))).toBeLessThan(1e-9)
  })

  it('keeps what is loaded for a small pan inside the loaded area', () => {
    const first = planParcelLoad(view(bbox, 14), null, 13)
    if (first.action !== 'load') throw new Error('expected a load')
    const panned: Bbox = [bbox[0] + 0.002, bbox[1] + 0.001, bbox[2] + 0.002, bbox[3] + 0.001]
    expect(planParcelLoad(view(panned, 14), { bbox: first.bbox, truncated: false }, 13)).toEqual({ action: 'keep' })
  })

  it('loads again when the loaded area was truncated by the feature cap', () => {
    const first = planParcelLoad(view(bbox, 14), null, 13)
    if (first.action !== 'load') throw new Error('expected a load')
    expect(planParcelLoad(view(bbox, 14.5), { bbox: first.bbox, truncated: true }, 13).action).toBe('load')
  })

  it('after a truncated load, spends the next request on little more than the screen', () => {
    const first = planParcelLoad(view(bbox, 14), null, 13)
    const next = planParcelLoad(view(bbox, 14), { bbox: [113, 35, 113.2, 35.2], truncated: true }, 13)
    if (first.action !== 'load' || next.action !== 'load') throw new Error('expected loads')
    const area = (b: Bbox) => (b[2] - b[0]) * (b[3] - b[1])
    expect(containsBbox(next.bbox, bbox)).toBe(true)
    expect(area(next.bbox)).toBeLessThan(area(first.bbox))
  })

  it('loads again when the view leaves the loaded area', () => {
    expect(
      planParcelLoad(
        view([113.2, 35.3, 113.22, 35.31], 14),
        { bbox: [113.04, 35.15, 113.08, 35.18], truncated: false },
        13,
      ).action,
    ).toBe('load')
  })
})

describe('bbox helpers', () => {
  it('pads by a fraction of the size on every side', () => {
    expect(padBbox([0, 0, 4, 2], 0.25)).toEqual([-1, -0.5, 5, 2.5])
  })
  it('snaps outward and stays within lon/lat range', () => {
    expect(snapBbox([0.3, 0.3, 0.7, 0.7], 0.5)).toEqual([0, 0, 1, 1])
    expect(snapBbox([179.9, 89.9, 180, 90], 1)).toEqual([179, 89, 180, 90])
  })
})
