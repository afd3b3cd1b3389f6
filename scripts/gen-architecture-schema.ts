/** `npm run gen:arch-schema`: writes schema/architecture.schema.json from the zod schema of architecture files. */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ARCHITECTURE_SCHEMA_FILE, architectureJsonSchemaText } from '../src/shared/architecture/architecture-json-schema'

const file = resolve(import.meta.dirname, '..', ARCHITECTURE_SCHEMA_FILE)
writeFileSync(file, architectureJsonSchemaText())
process.stdout.write(`wrote ${ARCHITECTURE_SCHEMA_FILE}\n`)
