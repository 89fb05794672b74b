import { describe, expect, it } from 'vitest'
import { hatchPattern } from './hatch.js'

describe('hatchPattern', () => {
  const img = hatchPattern({ size: 16, stripes: 2, lineWidth: 3, color: '#d7191c' })
  const alpha = (x: number, y: number) => img.data[((y % 16) * 16 + (x % 16)) * 4 + 3]!

  it('is an RGBA tile of the given size in the given colour', () => {
    expect(img.width).toBe(16)
    expect(img.data).toHaveLength(16 * 16 * 4)
    expect([...img.data.slice(0, 3)]).toEqual([0xd7, 0x19, 0x1c])
  })

  it('has both stripes and transparent gaps', () => {
    const alphas = [...Array(256).keys()].map((i) => img.data[i * 4 + 3]!)
    expect(alphas.some((a) => a === 255)).toBe(true)
    expect(alphas.some((a) => a === 0)).toBe(true)
  })

  it('tiles seamlessly (the pattern repeats across the tile edge)', () => {
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) expect(alpha(x + 16, y)).toBe(alpha(x, y))
    // stripes run along x + y = const, so moving one pixel right and one up stays on the stripe
    for (let y = 1; y < 16; y++) for (let x = 0; x < 15; x++) expect(alpha(x + 1, y - 1)).toBe(alpha(x, y))
  })

  it('refuses a colour it cannot read', () => {
    expect(() => hatchPattern({ color: 'red' })).toThrow(/#rrggbb/)
  })
})
