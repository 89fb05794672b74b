import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/src/db/database.js'
import { loadConfig } from '../../server/src/config.js'
import { prepareDatabase } from '../../server/src/services/startup.service.js'
import { signIn as signInService } from '../../server/src/services/auth.service.js'
import { testDatabase } from '../helpers/database.js'

let database: Database
let close: () => Promise<void>
beforeAll(async () => {
  ;({ database, close } = await testDatabase('empty'))
})
afterAll(async () => close())

const settings = { sessionTtlHours: 1, signinMaxFailures: 5, signinLockSeconds: 60 }

describe('prepareDatabase (first start)', () => {
  it('creates one admin with a generated password printed once, and no demo users outside demo mode', async () => {
    const lines: string[] = []
    await prepareDatabase(database, loadConfig({ DEMO_DATA: 'off' }), (l) => lines.push(l))
    const printed = lines.join('\n')
    const password = printed.match(/password "([^"]+)"/)?.[1]
    expect(password).toBeDefined()
    expect(password!.length).toBeGreaterThanOrEqual(20)
    const users = await database.db.selectFrom('users').select(['login', 'role', 'is_demo', 'password_hash']).execute()
    expect(users.map((u) => [u.login, u.role, u.is_demo])).toEqual([['admin', 'admin', false]])
    expect(users[0]!.password_hash).not.toContain(password!)
    const { session } = await signInService(database.db, settings, new Date(), 'admin', password!)
    expect(session.user.role).toBe('admin')

    const again: string[] = []
    await prepareDatabase(database, loadConfig({ DEMO_DATA: 'off' }), (l) => again.push(l))
    expect(again.join('\n')).not.toContain('password')
    expect(await database.db.selectFrom('users').select('id').execute()).toHaveLength(1)
  })
})

describe('loadConfig', () => {
  it('names a bad setting', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT must be a number')
    expect(() => loadConfig({ DEMO_DATA: 'maybe' })).toThrow('DEMO_DATA must be auto, on or off')
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow('DATABASE_URL must start with postgres')
    expect(() => loadConfig({ PUBLIC_MAP: 'sometimes' })).toThrow('PUBLIC_MAP must be true or false')
  })
})
