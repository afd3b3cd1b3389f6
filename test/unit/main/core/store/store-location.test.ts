import { describe, expect, it } from 'vitest'
import { DbError } from '@main/core/store'
import { maskSecrets, parseStoreLocation } from '@main/core/store/store-location'

describe('store location', () => {
  it('reads a file path as SQLite and a postgres:// or postgresql:// URL as PostgreSQL', () => {
    expect(parseStoreLocation('/data/atelier.db')).toEqual({ engine: 'sqlite', path: '/data/atelier.db' })
    expect(parseStoreLocation(':memory:')).toEqual({ engine: 'sqlite', path: ':memory:' })
    expect(parseStoreLocation('postgres://ann:pw@db.lab:5433/atelier')).toEqual({
      engine: 'postgres',
      url: 'postgres://ann:pw@db.lab:5433/atelier',
      display: 'postgres://ann:***@db.lab:5433/atelier'
    })
    expect(parseStoreLocation('PostgreSQL://db/atelier?sslmode=verify-full')).toMatchObject({ engine: 'postgres' })
  })

  it('masks the password of every URL in a text, and leaves URLs without one alone', () => {
    expect(maskSecrets('connect postgres://ann:s3cr%40t@h/db failed; also postgresql://bob:x@h2/d')).toBe(
      'connect postgres://ann:***@h/db failed; also postgresql://bob:***@h2/d'
    )
    expect(maskSecrets('postgres://ann@h/db and https://example.org/a:b')).toBe('postgres://ann@h/db and https://example.org/a:b')
  })

  it.each([
    ['postgres://ann:pw@/atelier', 'not a valid URL'],
    ['postgres:///atelier', 'names no host'],
    ['postgres://ann:pw@db.lab:5432', 'names no database'],
    ['postgres://ann:pw@db.lab/a/b', 'is not a database name'],
    ['postgres://ann:pw@db.lab:99999/atelier', 'not a valid URL'],
    ['postgres://ann:pw@db.lab/atelier?sslmode=prefer', 'sslmode=prefer is not one of disable, require, verify-ca, verify-full']
  ])('refuses %s in one line naming what is wrong, password masked', (value, why) => {
    let error: unknown
    try {
      parseStoreLocation(value)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(DbError)
    const { kind, message } = error as DbError
    expect(kind).toBe('bad-location')
    expect(message).toContain(why)
    expect(message).toContain('postgres://USER:PASSWORD@HOST:PORT/DATABASE')
    expect(message).not.toContain(':pw@')
    expect(message.split('\n')).toHaveLength(1)
  })
})
