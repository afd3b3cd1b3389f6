/**
 * The JSON Schema of architecture files, generated from the zod schema so the two cannot disagree.
 * `npm run gen:arch-schema` writes it to schema/architecture.schema.json, for editors; a unit test
 * fails when the committed file is stale. Depth and total-size limits are not expressible there:
 * {@link parseArchitecture} checks them.
 */
import { z } from 'zod'
import { architectureSchema } from './architecture-schema'

/** Where the generated file lives, relative to the repository root. */
export const ARCHITECTURE_SCHEMA_FILE = 'schema/architecture.schema.json'

/** The schema as files are written (defaults optional), with a title. */
export function architectureJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(architectureSchema, { io: 'input', target: 'draft-2020-12' })
  const { $schema, ...rest } = schema
  return { $schema, title: 'Atelier architecture', ...rest }
}

/** The file's exact text: two-space JSON and a final newline. */
export const architectureJsonSchemaText = (): string => JSON.stringify(architectureJsonSchema(), null, 2) + '\n'
