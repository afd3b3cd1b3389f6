import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { create } from 'tar'
import { describe, expect, it } from 'vitest'
import { CIFAR10, cifar10Status, loadCifar10, type Cifar10Spec } from '@main/core/dataset/cifar10'
import { downloadCifar10, importCifar10 } from '@main/core/dataset/cifar10-fetch'
import { md5, rejection, tempDir } from './fixtures'
import { serve } from './serve'

const PER_BATCH = 3

/** A test-only spec: the official names, three records per batch, and the archive figures filled in by {@link makeArchive}. */
function smallSpec(): Cifar10Spec {
  return {
    ...CIFAR10,
    archive: { ...CIFAR10.archive },
    batches: CIFAR10.batches.map((b) => ({ ...b, count: PER_BATCH })),
    urlEnv: 'ATELIER_TEST_NOT_SET_URL'
  }
}

/** Record `r` of batch `b`: label (b*3+r) % 10; red, green, blue planes of distinct made-up values. */
function batchBytes(b: number, options: { badLabel?: boolean } = {}): Uint8Array {
  const out = new Uint8Array(PER_BATCH * 3073)
  for (let r = 0; r < PER_BATCH; r++) {
    const at = r * 3073
    out[at] = options.badLabel && r === 1 ? 10 : (b * 3 + r) % 10
    for (let i = 0; i < 3072; i++) out[at + 1 + i] = (i * 7 + b * 31 + r * 11) % 256
  }
  return out
}

/** Writes the six batch files (and the meta file) into `dir`, in the order given. */
function writeBatches(dir: string, options: { order?: number[]; skip?: string; change?: Record<string, Uint8Array> } = {}): void {
  mkdirSync(dir, { recursive: true })
  for (const i of options.order ?? [0, 1, 2, 3, 4, 5]) {
    const name = CIFAR10.batches[i].name
    if (name === options.skip) continue
    writeFileSync(join(dir, name), options.change?.[name] ?? batchBytes(i))
  }
  writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\n')
}

/** A `cifar-10-binary.tar.gz` made with the tar package from generated batches; sets the spec's md5 and size to it. */
async function makeArchive(spec: Cifar10Spec, options: { skip?: string } = {}): Promise<{ path: string; bytes: Uint8Array }> {
  const root = tempDir()
  writeBatches(join(root, 'cifar-10-batches-bin'), { skip: options.skip, order: [5, 3, 1, 0, 2, 4] })
  const path = join(tempDir(), 'cifar-10-binary.tar.gz')
  await create({ gzip: true, file: path, cwd: root }, ['cifar-10-batches-bin'])
  const bytes = readFileSync(path)
  spec.archive = { ...spec.archive, md5: md5(bytes), bytes: bytes.length }
  return { path, bytes }
}

describe('loadCifar10 on generated batch files', () => {
  it('turns the CHW records into HWC images with their labels', async () => {
    const spec = smallSpec()
    const dir = tempDir()
    writeBatches(dir)
    const data = await loadCifar10(dir, { spec })
    expect(data.train?.count).toBe(15)
    expect(data.test?.count).toBe(3)
    expect(data.train?.images.length).toBe(15 * 3072)
    expect(Array.from(data.train?.labels ?? [])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4])
    // Record 2 of data_batch_2, pixel at row 1, column 2: R, G, B from the three planes.
    const src = batchBytes(1).subarray(2 * 3073 + 1)
    const p = 1 * 32 + 2
    const image = data.train!.images.subarray((3 + 2) * 3072)
    expect(Array.from(image.subarray(p * 3, p * 3 + 3))).toEqual([src[p], src[1024 + p], src[2048 + p]])
  })

  it('gives one checksum whatever order the files were written in, and another for other content', async () => {
    const spec = smallSpec()
    const a = tempDir()
    const b = tempDir()
    writeBatches(a)
    writeBatches(b, { order: [5, 4, 3, 2, 1, 0] })
    const ca = (await loadCifar10(a, { spec })).checksum
    expect(ca).toMatch(/^[0-9a-f]{64}$/)
    expect((await loadCifar10(b, { spec })).checksum).toBe(ca)
    const c = tempDir()
    writeBatches(c, { change: { 'data_batch_1.bin': batchBytes(2) } })
    expect((await loadCifar10(c, { spec })).checksum).not.toBe(ca)
  })

  it('names a truncated batch file and a label out of range', async () => {
    const spec = smallSpec()
    const cut = tempDir()
    writeBatches(cut, { change: { 'data_batch_4.bin': batchBytes(3).subarray(0, 3073 * 2 + 100) } })
    expect((await rejection(loadCifar10(cut, { spec }))).message).toBe(
      'data_batch_4.bin: truncated — holds 6,246 bytes, not a whole number of 3,073-byte records (expected 9,219: 3 records of 3,073 bytes) — download the dataset again or import it from a folder'
    )
    expect(cifar10Status(cut, spec).problem).toMatch(/^data_batch_4\.bin is truncated: holds 6,246 bytes/)
    const bad = tempDir()
    writeBatches(bad, { change: { 'test_batch.bin': batchBytes(5, { badLabel: true }) } })
    expect((await rejection(loadCifar10(bad, { spec }))).message).toMatch(/^test_batch\.bin: label 10 of record 1 is not a class id 0–9 — /)
  })
})

describe('importCifar10', () => {
  it('imports the archive, the extracted folder or the batch files, all loading to the same checksum', async () => {
    const spec = smallSpec()
    const reference = tempDir()
    writeBatches(reference)
    const expected = (await loadCifar10(reference, { spec })).checksum
    const archive = await makeArchive(spec)

    const fromArchive = join(tempDir(), 'cifar10')
    await importCifar10({ from: archive.path, to: fromArchive, spec })
    expect(readdirSync(fromArchive).sort()).toEqual([...CIFAR10.batches.map((b) => b.name), 'batches.meta.txt'].sort())
    expect((await loadCifar10(fromArchive, { spec })).checksum).toBe(expected)

    const holder = tempDir()
    writeBatches(join(holder, 'cifar-10-batches-bin'))
    const fromFolder = join(tempDir(), 'cifar10')
    await importCifar10({ from: holder, to: fromFolder, spec })
    expect((await loadCifar10(fromFolder, { spec })).checksum).toBe(expected)
    expect(cifar10Status(fromFolder, spec)).toMatchObject({ ready: true, problem: null })
  })

  it('refuses an archive missing a batch file and writes nothing', async () => {
    const spec = smallSpec()
    const archive = await makeArchive(spec, { skip: 'data_batch_3.bin' })
    const to = join(tempDir(), 'cifar10')
    const e = await rejection(importCifar10({ from: archive.path, to, spec }))
    expect(e.code).toBe('missing')
    expect(e.message).toMatch(/^data_batch_3\.bin: not in cifar-10-binary\.tar\.gz — nothing was imported and .*cifar10 is unchanged/)
    expect(existsSync(to)).toBe(false)
  })

  it('does not follow a batch file packed as a link (it counts as missing)', async () => {
    const spec = smallSpec()
    const root = tempDir()
    const folder = join(root, 'cifar-10-batches-bin')
    writeBatches(folder, { skip: 'data_batch_2.bin' })
    writeFileSync(join(root, 'elsewhere.bin'), batchBytes(1))
    symlinkSync(join(root, 'elsewhere.bin'), join(folder, 'data_batch_2.bin'))
    const path = join(tempDir(), 'cifar-10-binary.tar.gz')
    await create({ gzip: true, file: path, cwd: root }, ['cifar-10-batches-bin'])
    const bytes = readFileSync(path)
    spec.archive = { ...spec.archive, md5: md5(bytes), bytes: bytes.length }
    const to = join(tempDir(), 'cifar10')
    const e = await rejection(importCifar10({ from: path, to, spec }))
    expect(e.message).toMatch(/^data_batch_2\.bin: not in cifar-10-binary\.tar\.gz — nothing was imported/)
    expect(existsSync(to)).toBe(false)
  })

  it('refuses an archive that is not the published one, and bad batch files, leaving the target as it was', async () => {
    const spec = smallSpec()
    const archive = await makeArchive(spec)
    spec.archive = { ...spec.archive, md5: '0'.repeat(32) }
    const to = tempDir()
    writeFileSync(join(to, 'keep.txt'), 'x')
    const e = await rejection(importCifar10({ from: archive.path, to, spec }))
    expect(e.message).toMatch(
      /^cifar-10-binary\.tar\.gz: is not the published cifar-10-binary\.tar\.gz \(md5 [0-9a-f]{32}, expected 0{32}\)/
    )

    const from = tempDir()
    writeBatches(from, { change: { 'data_batch_5.bin': new Uint8Array(3073 * 4) } })
    const e2 = await rejection(importCifar10({ from, to, spec }))
    expect(e2.message).toMatch(
      /^data_batch_5\.bin: holds 4 records \(12,292 bytes\), expected 3 records of 3,073 bytes — nothing was imported/
    )
    expect(readdirSync(to)).toEqual(['keep.txt'])
  })
})

describe('downloadCifar10 from a local server', () => {
  it('downloads the archive, unpacks the batches in place, deletes the archive and skips next time', async () => {
    const spec = smallSpec()
    const archive = await makeArchive(spec)
    const server = await serve({ 'cifar-10-binary.tar.gz': { body: archive.bytes, pieces: 4, pauseMs: 5 } })
    const dir = join(tempDir(), 'cifar10')
    const phases = new Set<string>()
    await downloadCifar10({ dir, spec, baseUrl: server.baseUrl, onProgress: (p) => phases.add(p.phase) })
    expect(readdirSync(dir).sort()).toEqual([...CIFAR10.batches.map((b) => b.name), 'batches.meta.txt'].sort())
    expect([...phases].sort()).toEqual(['downloading', 'verifying'])
    expect(cifar10Status(dir, spec).ready).toBe(true)
    server.requests.length = 0
    await downloadCifar10({ dir, spec, baseUrl: server.baseUrl })
    expect(server.requests).toEqual([])
  })

  it('refuses a download with the wrong md5, keeping nothing', async () => {
    const spec = smallSpec()
    const archive = await makeArchive(spec)
    spec.archive = { ...spec.archive, md5: 'f'.repeat(32) }
    const server = await serve({ 'cifar-10-binary.tar.gz': { body: archive.bytes } })
    const dir = tempDir()
    const e = await rejection(downloadCifar10({ dir, spec, baseUrl: server.baseUrl }))
    expect(e.message).toMatch(
      /^cifar-10-binary\.tar\.gz: downloaded file is corrupt \(md5 [0-9a-f]{32}, expected f{32}\) — nothing of it was kept/
    )
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses an archive missing a batch file, keeping nothing', async () => {
    const spec = smallSpec()
    const archive = await makeArchive(spec, { skip: 'test_batch.bin' })
    const server = await serve({ 'cifar-10-binary.tar.gz': { body: archive.bytes } })
    const dir = tempDir()
    const e = await rejection(downloadCifar10({ dir, spec, baseUrl: server.baseUrl }))
    expect(e.message).toMatch(/^test_batch\.bin: not in cifar-10-binary\.tar\.gz — the batch files in .* are unchanged/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('cancelled mid-download leaves nothing', async () => {
    const spec = smallSpec()
    const archive = await makeArchive(spec)
    const server = await serve({ 'cifar-10-binary.tar.gz': { body: archive.bytes, pieces: 30, pauseMs: 15 } })
    const dir = tempDir()
    const controller = new AbortController()
    const e = await rejection(
      downloadCifar10({ dir, spec, baseUrl: server.baseUrl, signal: controller.signal, onProgress: () => controller.abort() })
    )
    expect(e.code).toBe('cancelled')
    expect(readdirSync(dir)).toEqual([])
  })
})
