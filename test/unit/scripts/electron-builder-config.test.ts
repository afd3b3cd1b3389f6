/**
 * `electron-builder.yml` as electron-builder itself reads and validates it (app-builder-lib's own
 * `getConfig` + `validateConfiguration`, the ajv check against its scheme.json that `electron-builder`
 * runs before packaging), plus the settings the installers depend on.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const require = createRequire(join(ROOT, 'package.json'))

type Config = Record<string, unknown> & {
  electronFuses?: Record<string, boolean>
  mac?: { target?: Array<{ target: string; arch: string[] }>; files?: string[] }
  linux?: { files?: string[]; target?: string[] }
  win?: { files?: string[] }
  dmg?: { artifactName?: string }
  files?: Array<{ filter?: string[] } | string>
  publish?: unknown
}
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Config>
  validateConfiguration(config: Config, debugLogger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

const load = (): Promise<Config> => getConfig(ROOT, null, null)
const validate = (config: Config): Promise<void> => validateConfiguration(config, new DebugLogger(false))
/** All `files` patterns of a section, as electron-builder normalises them (strings or `{ filter }`). */
const patterns = (files: Config['files'] | string[] | undefined): string[] =>
  (files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])))

describe('electron-builder.yml', () => {
  it('passes electron-builder 26’s own schema validation', async () => {
    const config = await load()
    await expect(validate(config)).resolves.toBeUndefined()
  })

  it('is checked for real: a misspelt fuse is rejected by the same validation', async () => {
    const config = await load()
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, resetAdhocDarwinSignature: true } })).rejects.toThrow(
      /configuration object that does not match the API schema/
    )
  })

  it('re-signs ad hoc after flipping the fuses, so an unsigned Apple Silicon build is not killed at launch', async () => {
    const config = await load()
    expect(config.electronFuses).toMatchObject({ resetAdHocDarwinSignature: true, runAsNode: false })
  })

  it('builds an arm64 and an x64 dmg with distinct names', async () => {
    const config = await load()
    expect(config.mac?.target).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }])
    expect(config.dmg?.artifactName).toContain('${arch}')
  })

  it('never publishes: CI uploads the installers as artifacts', async () => {
    expect((await load()).publish).toBeNull()
  })

  it('leaves out what the app never loads, and each OS keeps its own better-sqlite3 prebuilds', async () => {
    const config = await load()
    const top = patterns(config.files)
    for (const excluded of ['!node_modules/better-sqlite3/{deps,src}{,/**}', '!node_modules/better-sqlite3/prebuilds/!(${platform}-*)']) {
      expect(top).toContain(excluded)
    }
  })

  it('packs sharp and its libvips unpacked: the folder import decodes images in the main process', async () => {
    const config = await load()
    expect(patterns(config.files).some((p) => /sharp|@img/.test(p))).toBe(false)
    const unpacked = patterns(config.asarUnpack as string[] | undefined)
    expect(unpacked).toContain('node_modules/sharp/**')
    expect(unpacked).toContain('node_modules/@img/**')
  })

  it('keeps native TensorFlow where it installed, unpacked so its shared library loads (the trainer tries it first)', async () => {
    const config = await load()
    expect(patterns(config.files).some((p) => p.includes('tfjs-node'))).toBe(false)
    expect(patterns(config.asarUnpack as string[] | undefined)).toContain('node_modules/@tensorflow/tfjs-node/**')
  })

  it('has one `files` list: a platform section of only exclusions would make electron-builder pack the whole repository', async () => {
    const config = await load()
    for (const platform of ['mac', 'linux', 'win'] as const) expect(config[platform], platform).not.toHaveProperty('files')
    expect(patterns(config.files).filter((p) => !p.startsWith('!'))).toEqual(['out/**', 'package.json', 'resources/icon.png'])
  })

  it('holds no signing secrets: certificates and passwords come from the environment (CSC_LINK, APPLE_ID, …)', () => {
    const text = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')
    expect(text).not.toMatch(/^\s*(cscLink|cscKeyPassword|certificateFile|certificatePassword|certificateSubjectName|identity)\s*:/m)
    expect(text).not.toMatch(/^\s*notarize\s*:\s*\{/m)
  })
})
