import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { DatasetProgress } from '@shared/dataset'
import { importFolder, readCacheHeader, type FolderImportRequest } from '@main/core/dataset/folder'
import { loadImages } from '@main/core/dataset/images'
import { rejection, tempDir } from '../fixtures'
import { imageBytes, pngClaiming, put, writeClasses } from './image-folder'

const CLASSES = ['cat', 'dog', 'owl']

function request(folder: string, extra: Partial<FolderImportRequest> = {}): FolderImportRequest {
  return { folder, name: 'pets', outFile: join(tempDir(), 'pets.atds'), ...extra }
}

const cacheLocation = (file: string, result: Awaited<ReturnType<typeof importFolder>>) =>
  ({
    kind: 'cache',
    file,
    ref: {
      name: 'pets',
      title: 'pets',
      source: 'folder',
      shape: result.shape,
      classNames: result.classNames,
      contentHash: result.contentHash,
      preprocessing: result.preprocessing
    }
  }) as const

describe('importFolder', () => {
  it('imports one subfolder per class with a seeded 20% test split, and loadImages reads the cache back as uint8', async () => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 10 })
    const req = request(folder)
    const progress: DatasetProgress[] = []
    const result = await importFolder({ ...req, onProgress: (p) => progress.push(p) })

    expect(result.classNames).toEqual(CLASSES)
    // 40×30 images: median shorter side 30 (under 64); colour files → rgb.
    expect(result.shape).toEqual({ height: 30, width: 30, channels: 3 })
    expect(result.preprocessing).toEqual({ fit: 'cover', height: 30, width: 30, color: 'rgb', scale: 1 / 255 })
    expect([result.trainCount, result.testCount]).toEqual([24, 6])
    expect(result.report).toMatchObject({
      scanned: 30,
      imported: 30,
      duplicates: 0,
      skipped: [],
      ownTestSplit: false,
      testSplit: 0.2,
      seed: 42
    })
    expect(result.report.trainPerClass).toEqual([8, 8, 8])
    expect(result.report.testPerClass).toEqual([2, 2, 2])

    const decoding = progress.filter((p) => p.phase === 'decoding')
    expect(decoding.at(-1)).toMatchObject({ dataset: 'pets', done: 30, total: 30, unit: 'images' })

    const loaded = await loadImages(cacheLocation(req.outFile, result))
    expect(loaded.checksum).toBe(result.contentHash)
    expect(loaded.train!.images).toBeInstanceOf(Uint8Array)
    expect(loaded.train!.images.length).toBe(24 * 30 * 30 * 3)
    expect([...loaded.test!.labels]).toEqual([0, 0, 1, 1, 2, 2])
    // Cover crop of a 40×30 image keeps the centre: the white corner square is cut off, the fill stays.
    const first = loaded.train!.images.subarray(0, 3)
    expect(Math.abs(first[0] - 20)).toBeLessThan(12)
    expect((await readCacheHeader(req.outFile)).report.imported).toBe(30)
  })

  it('uses the folder’s own train/ and test/ split, and names a class missing from test/', async () => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 4, prefix: 'train/', formats: ['png'] })
    await writeClasses(folder, CLASSES, { perClass: 2, prefix: 'test/', offset: 50, formats: ['png'] })
    const result = await importFolder(request(folder))
    expect(result.report).toMatchObject({
      ownTestSplit: true,
      testSplit: null,
      seed: null,
      trainPerClass: [4, 4, 4],
      testPerClass: [2, 2, 2]
    })

    const broken = tempDir()
    await writeClasses(broken, CLASSES, { perClass: 2, prefix: 'train/', formats: ['png'] })
    await writeClasses(broken, ['cat', 'dog'], { perClass: 2, prefix: 'test/', offset: 50, formats: ['png'] })
    const req = request(broken)
    const error = await rejection(importFolder(req))
    expect(error.message).toContain("class 'owl'")
    expect(error.message).toContain('test/')
    expect(existsSync(req.outFile)).toBe(false)
  })

  it('takes a lone train/ folder as the class root and draws the test split from it', async () => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 5, prefix: 'train/', formats: ['png'] })
    put(folder, 'README.txt', 'my photos')
    const result = await importFolder(request(folder))
    expect(result.classNames).toEqual(CLASSES)
    expect(result.report).toMatchObject({
      ownTestSplit: false,
      testPerClass: [1, 1, 1],
      skipped: [{ file: 'README.txt', reason: 'outside train/' }]
    })
  })

  it('takes class names in any Unicode, NFC-normalised, in a locale-independent order', async () => {
    const folder = tempDir()
    const names = ['Zebra', 'cafe\u0301', '猫', 'Äpfel']
    await writeClasses(folder, names, { perClass: 5, formats: ['png'] })
    const result = await importFolder(request(folder))
    expect(result.classNames).toEqual(['Zebra', 'café', 'Äpfel', '猫'])
    expect(result.classNames[1]).toBe('caf\u00e9')
  })

  it('skips bad files with a reason and keeps identical files once, without following a folder link loop', async () => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 5, formats: ['png'] })
    put(folder, 'cat/notes.jpg', 'this is text, not a JPEG')
    const good = await imageBytes({ rgb: [9, 9, 9] })
    put(folder, 'dog/cut.png', good.subarray(0, good.length - 40))
    put(folder, 'owl/huge.png', await pngClaiming(20_000, 20_000))
    put(folder, 'owl/copy-a.png', await imageBytes({ rgb: [200, 100, 50] }))
    put(folder, 'owl/copy-b.png', await imageBytes({ rgb: [200, 100, 50] }))
    put(folder, 'owl/.hidden.png', good)
    put(folder, 'owl/Thumbs.db', 'x')
    put(folder, '.DS_Store', 'x')
    symlinkSync(join(folder, 'cat'), join(folder, 'cat', 'loop'))
    execFileSync('mkfifo', [join(folder, 'dog', 'pipe')])
    symlinkSync(join(folder, 'dog', 'pipe'), join(folder, 'dog', 'pipe-link.png'))

    const result = await importFolder(request(folder))
    const reasons = Object.fromEntries(result.report.skipped.map((s) => [s.file, s.reason]))
    expect(Object.keys(reasons).sort()).toEqual([
      'cat/loop',
      'cat/notes.jpg',
      'dog/cut.png',
      'dog/pipe',
      'dog/pipe-link.png',
      'owl/huge.png'
    ])
    expect(reasons['dog/pipe-link.png']).toBe('not a regular file')
    expect(reasons['cat/notes.jpg']).toMatch(/not a PNG, JPEG, WebP or GIF/)
    expect(reasons['dog/cut.png']).toMatch(/cannot be decoded/)
    expect(reasons['owl/huge.png']).toMatch(/20000×20000/)
    expect(reasons['cat/loop']).toMatch(/link to a folder/)
    expect(result.report.duplicates).toBe(1)
    expect(result.report.imported).toBe(16)
    expect(result.report.scanned).toBe(21)
  })

  it('reads each file once when the size and colour are given, with the same result as when they are chosen', async () => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 8 })
    put(folder, 'cat/notes.jpg', 'text')
    const good = await imageBytes({ rgb: [9, 9, 9] })
    put(folder, 'dog/cut.png', good.subarray(0, good.length - 40))
    put(folder, 'owl/zz-copy.png', await imageBytes({ rgb: [200, 100, 50] }))
    put(folder, 'dog/zz-copy.png', await imageBytes({ rgb: [200, 100, 50] }))
    const phases = new Set<string>()
    const chosen = await importFolder(request(folder))
    const given = await importFolder(request(folder, { size: 30, color: 'rgb', onProgress: (p) => phases.add(p.phase) }))
    expect(chosen.shape).toEqual(given.shape)
    expect(given.contentHash).toBe(chosen.contentHash)
    const { seconds: _a, skipped: skippedChosen, ...restChosen } = chosen.report
    const { seconds: _b, skipped: skippedGiven, ...restGiven } = given.report
    expect(restGiven).toEqual(restChosen)
    expect(restGiven.duplicates).toBe(1)
    // The same files for the same reasons; libvips's detail in brackets names whichever of its decoders
    // reported first (libpng's read error or the failOn warning), which varies from run to run.
    const byFile = (list: { file: string; reason: string }[]) =>
      [...list].sort((a, b) => a.file.localeCompare(b.file)).map((x) => ({ file: x.file, reason: x.reason.replace(/ \(.*\)$/, '') }))
    expect(byFile(skippedGiven)).toEqual(byFile(skippedChosen))
    expect(skippedGiven.map((x) => x.file).sort()).toEqual(['cat/notes.jpg', 'dog/cut.png', 'owl/zz-copy.png'])
    expect([...phases]).toEqual(['decoding', 'writing'])
  })

  it('makes a grayscale dataset when every file is grayscale, and honours an explicit size and colour', async () => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 5, gray: true, formats: ['png', 'jpeg'] })
    expect((await importFolder(request(folder))).shape).toEqual({ height: 30, width: 30, channels: 1 })
    const rgb = await importFolder(request(folder, { size: 16, color: 'rgb' }))
    expect(rgb.shape).toEqual({ height: 16, width: 16, channels: 3 })
  })

  it('takes the first frame of an animated GIF', async () => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 5, formats: ['png'] })
    const frame = (background: string) =>
      sharp({ create: { width: 16, height: 16, channels: 3, background } })
        .png()
        .toBuffer()
    const gif = await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } })
      .gif()
      .toBuffer()
    expect((await sharp(gif).metadata()).pages).toBe(2)
    put(folder, 'cat/zz-animated.gif', gif)
    const req = request(folder, { size: 8, testSplit: 0.5 })
    const result = await importFolder(req)
    const { train, test } = await loadImages(cacheLocation(req.outFile, result))
    // The GIF is the last cat file in path order: the last cat image of whichever split it fell in.
    const lastCat = (split: { images: Uint8Array; labels: Uint8Array }) => split.labels.lastIndexOf(0)
    const images = [train!, test!].map((split) => split.images.subarray(lastCat(split) * 192, lastCat(split) * 192 + 3))
    expect(images.some((px) => px[0] > 200 && px[2] < 50)).toBe(true)
    expect(images.some((px) => px[2] > 200)).toBe(false)
  })

  it('gives the same content hash for the same seed, and another split for another seed', async () => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 10, formats: ['png', 'webp'] })
    const a = await importFolder(request(folder, { seed: 7 }))
    const b = await importFolder(request(folder, { seed: 7 }))
    const c = await importFolder(request(folder, { seed: 8 }))
    expect(b.contentHash).toBe(a.contentHash)
    expect(c.contentHash).not.toBe(a.contentHash)
  })

  it.each([
    ['an empty folder', async (_: string) => undefined, /no class folders/],
    ['class folders without files', async (f: string) => CLASSES.forEach((c) => mkdirSync(join(f, c))), /no image to import/],
    [
      'too many classes',
      async (f: string) => void Array.from({ length: 257 }, (_, i) => mkdirSync(join(f, `c${i}`))),
      /257 class folders; at most 256/
    ],
    [
      'a single class',
      async (f: string) => void (await writeClasses(f, ['cat'], { perClass: 5, formats: ['png'] })),
      /single class folder \('cat'\)/
    ],
    [
      'only unreadable files',
      async (f: string) => CLASSES.forEach((c) => put(f, `${c}/a.png`, `text ${c}`)),
      /none of its 3 files is a readable PNG, JPEG, WebP or GIF/
    ],
    [
      'a class too small to give a test image',
      async (f: string) => {
        await writeClasses(f, ['cat', 'dog'], { perClass: 10, formats: ['png'] })
        await writeClasses(f, ['owl'], { perClass: 2, offset: 90, formats: ['png'] })
      },
      /class 'owl' has no test images \(2 readable in all\)/
    ]
  ])('refuses %s with a clear error and writes nothing', async (_, make, message) => {
    const folder = tempDir()
    await make(folder)
    const req = request(folder)
    const error = await rejection(importFolder(req))
    expect(error.message).toMatch(message)
    expect(readdirSync(join(req.outFile, '..'))).toEqual([])
  })

  it.each([
    ['chosen', {}],
    ['given', { size: 16, color: 'rgb' as const }]
  ])('leaves neither the cache file nor a part file when cancelled midway (size and colour %s)', async (_, options) => {
    const folder = tempDir()
    await writeClasses(folder, CLASSES, { perClass: 12, formats: ['png'] })
    const controller = new AbortController()
    const decoded: number[] = []
    const req = request(folder, {
      ...options,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase !== 'decoding') return
        decoded.push(p.done)
        controller.abort()
      }
    })
    const error = await rejection(importFolder(req))
    expect(error.code).toBe('cancelled')
    expect(decoded).toEqual([1])
    expect(readdirSync(join(req.outFile, '..'))).toEqual([])
  })
})
