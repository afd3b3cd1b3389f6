import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARCHITECTURE_SCHEMA_FILE, architectureJsonSchema, architectureJsonSchemaText } from '@shared/architecture/architecture-json-schema'

const root = resolve(import.meta.dirname, '../../../..')

describe('architecture JSON Schema', () => {
  it('is committed exactly as the zod schema generates it (run `npm run gen:arch-schema` after changing the schema)', () => {
    expect(readFileSync(resolve(root, ARCHITECTURE_SCHEMA_FILE), 'utf8')).toBe(architectureJsonSchemaText())
  })

  it('describes files as people write them: defaults optional, unknown keys refused, residual blocks recursive', () => {
    const schema = architectureJsonSchema() as {
      required: string[]
      additionalProperties: boolean
      $defs: { layer: { oneOf: { properties: { kind: { const: string } }; required: string[]; additionalProperties: boolean }[] } }
    }
    expect(schema.required).toEqual(['name', 'layers'])
    expect(schema.additionalProperties).toBe(false)
    const kinds = Object.fromEntries(schema.$defs.layer.oneOf.map((l) => [l.properties.kind.const, l]))
    expect(Object.keys(kinds)).toHaveLength(19)
    expect(kinds.conv2d.required).toEqual(['kind', 'filters', 'kernel'])
    expect(kinds.conv2d.additionalProperties).toBe(false)
    expect(JSON.stringify(kinds.residual)).toContain('"$ref":"#/$defs/layer"')
  })
})
