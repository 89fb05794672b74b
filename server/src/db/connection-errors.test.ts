import { describe, expect, it } from 'vitest'
import { databaseAddress, describeConnectionError, isDatabaseUnavailable } from './connection-errors.js'

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('isDatabaseUnavailable', () => {
  it('accepts the connection-class failures', () => {
    for (const code of [
      '57P01',
      '57P02',
      '57P03',
      '53300',
      '08000',
      '08003',
      '08006',
      '08P01',
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
    ]) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true)
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
      'Client was closed and is not queryable',
    ]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true)
    }
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true)
  })

  it('refuses errors of the statement or the data, and non-errors', () => {
    // unique violation, check violation, serialization failure, syntax error, query canceled, wrong password, no such database
    for (const code of ['23505', '23514', '40001', '42601', '57014', '28P01', '3D000']) {
      expect(isDatabaseUnavailable(withCode(code, 'some database error')), code).toBe(false)
    }
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false)
    expect(isDatabaseUnavailable({ code: '57P01', message: 'Connection terminated' })).toBe(false)
    expect(isDatabaseUnavailable(undefined)).toBe(false)
  })
})

describe('describeConnectionError', () => {
  it('says what happened in a few words', () => {
    expect(describeConnectionError(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(
      'connection refused',
    )
    expect(describeConnectionError(new AggregateError([withCode('ECONNREFUSED')]))).toBe('connection refused')
    expect(describeConnectionError(withCode('57P03', 'the database system is starting up'))).toBe(
      'the database system is starting up',
    )
  })
})

describe('databaseAddress', () => {
  it('names host, port and database, never the user or password', () => {
    expect(databaseAddress('postgres://app:secret@db.example:6543/everyinch')).toBe('db.example:6543/everyinch')
    expect(databaseAddress('postgresql://localhost/x')).toBe('localhost:5432/x')
  })
})
