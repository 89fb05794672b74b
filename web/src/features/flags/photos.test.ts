import { describe, expect, it } from 'vitest'
import { checkPhotoFiles, photoLimitParams, photoProblemTexts } from './photos.js'

const f = (name: string, type: string, size: number) => ({ name, type, size })

describe('checkPhotoFiles', () => {
  const limits = { maxBytes: 1000, maxCount: 2, types: ['image/jpeg', 'image/png', 'image/webp'] }

  it('accepts the listed types within the size and count, in order', () => {
    const r = checkPhotoFiles(
      [f('a.jpg', 'image/jpeg', 10), f('b.png', 'image/png', 1000), f('c.webp', 'image/webp', 5)],
      limits,
    )
    expect(r.accepted.map((x) => x.name)).toEqual(['a.jpg', 'b.png'])
    expect(r.problems).toEqual([{ name: 'c.webp', reason: 'count' }])
  })

  it('says which file is refused and why', () => {
    const r = checkPhotoFiles(
      [f('x.heic', 'image/heic', 10), f('big.jpg', 'image/jpeg', 1001), f('y.gif', 'image/gif', 1)],
      limits,
    )
    expect(r.accepted).toEqual([])
    expect(r.problems).toEqual([
      { name: 'x.heic', reason: 'type' },
      { name: 'big.jpg', reason: 'size' },
      { name: 'y.gif', reason: 'type' },
    ])
  })

  it('follows whatever limits the server sends', () => {
    const onlyPng = { maxBytes: 50, maxCount: 1, types: ['image/png'] }
    const r = checkPhotoFiles(
      [f('a.jpg', 'image/jpeg', 1), f('b.PNG', 'IMAGE/PNG', 50), f('c.png', 'image/png', 1)],
      onlyPng,
    )
    expect(r.accepted.map((x) => x.name)).toEqual(['b.PNG'])
    expect(r.problems).toEqual([
      { name: 'a.jpg', reason: 'type' },
      { name: 'c.png', reason: 'count' },
    ])
    expect(checkPhotoFiles([f('a.png', 'image/png', 1)], { ...onlyPng, maxCount: 0 }).problems).toEqual([
      { name: 'a.png', reason: 'count' },
    ])
  })
})

describe('photo limit texts', () => {
  const limits = { maxBytes: 3 * 1024 * 1024, maxCount: 7, types: ['image/png'] }

  it('states the server’s count and size', () => {
    expect(photoLimitParams(limits)).toEqual({ n: 7, max: '3.0 MB' })
  })

  it('names each refused file with the limit it broke', () => {
    const [size, count] = photoProblemTexts(
      [
        { name: 'big.png', reason: 'size' },
        { name: 'eighth.png', reason: 'count' },
      ],
      limits,
    )
    expect(size).toContain('big.png')
    expect(size).toContain('3.0 MB')
    expect(count).toContain('eighth.png')
    expect(count).toContain('7')
  })
})
