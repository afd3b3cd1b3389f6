/**
 * Finds the classes and files of an image folder: one subfolder per class, optionally under `train/`
 * and `test/`. Only the directory tree is read here (names and types, no file content).
 *
 * Rules:
 * - Class names are the folder names, NFC-normalised, sorted by UTF-16 code units (locale-independent);
 *   two folders whose names normalise to the same string are one class.
 * - The folder has its own test split when it holds both a `train/` and a `test/` folder (any letter
 *   case); both must have the same class folders. A lone `train/` is the class root and the test
 *   split is drawn from it.
 * - Inside a class folder, files in nested subfolders belong to the class too.
 * - Symbolic links to files are followed; symbolic links to folders are never followed (so a link
 *   loop cannot hang the scan) and are listed as skipped.
 * - Hidden entries (name starting with `.`) and `Thumbs.db`/`desktop.ini` are ignored silently.
 * - Files sit in a stable order: class by class, then by relative path (code units).
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { MAX_CLASSES, type SkippedFile } from '@shared/dataset'
import { DatasetError } from '../errors'

/** One file that may be an image of a class. */
export interface ScannedFile {
  /** Absolute path. */
  path: string
  /** Path relative to the imported folder, with `/` separators (what reports show). */
  rel: string
  label: number
}

export interface FolderScan {
  classNames: string[]
  /** Files of the training split (or of the whole folder when it has no `test/`). */
  train: ScannedFile[]
  /** Files of the folder's own `test/`, or null when the test split is to be drawn. */
  test: ScannedFile[] | null
  /** Entries that are not candidate images (links to folders, files outside any class folder). */
  skipped: SkippedFile[]
}

const IGNORED = new Set(['thumbs.db', 'desktop.ini', 'icon\r'])
const ignored = (name: string): boolean => name.startsWith('.') || IGNORED.has(name.toLowerCase())
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

interface Entry {
  name: string
  path: string
  kind: 'dir' | 'file' | 'dir-link' | 'other'
}

/** The visible entries of `dir`, sorted by name; a symlink is resolved once to tell file links from folder links. */
async function entries(dir: string, rel: string): Promise<Entry[]> {
  let dirents
  try {
    dirents = await readdir(dir, { withFileTypes: true })
  } catch (cause) {
    throw new DatasetError(
      rel || dir,
      `cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)}); check that the folder exists and is readable`,
      {
        code: (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'io',
        cause
      }
    )
  }
  const out: Entry[] = []
  for (const d of dirents) {
    if (ignored(d.name)) continue
    const path = join(dir, d.name)
    let kind: Entry['kind'] = d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other'
    if (d.isSymbolicLink()) {
      // A dangling link stays a "file": reading it fails later and is reported with the reason.
      const target = await stat(path).catch(() => null)
      kind = target?.isDirectory() ? 'dir-link' : 'file'
    }
    out.push({ name: d.name.normalize('NFC'), path, kind })
  }
  return out.sort((a, b) => byCodeUnits(a.name, b.name))
}

const LINK_REASON = 'link to a folder (folder links are not followed, so a link loop cannot hang the import)'

/** Every file below a class folder, depth first in name order. */
async function filesBelow(dir: string, rel: string, skipped: SkippedFile[]): Promise<{ path: string; rel: string }[]> {
  const found: { path: string; rel: string }[] = []
  let list: Entry[]
  try {
    list = await entries(dir, rel)
  } catch (cause) {
    // An unreadable folder inside a class loses only its own files.
    skipped.push({ file: rel, reason: cause instanceof DatasetError ? cause.message.slice(rel.length + 2) : String(cause) })
    return found
  }
  for (const e of list) {
    const r = `${rel}/${e.name}`
    if (e.kind === 'file') found.push({ path: e.path, rel: r })
    else if (e.kind === 'dir') found.push(...(await filesBelow(e.path, r, skipped)))
    else if (e.kind === 'dir-link') skipped.push({ file: r, reason: LINK_REASON })
    else skipped.push({ file: r, reason: 'not a regular file' })
  }
  return found
}

/** Class folder name → its folders (two names may normalise to one class). */
async function classFolders(root: string, rel: string, skipped: SkippedFile[]): Promise<Map<string, { path: string; rel: string }[]>> {
  const classes = new Map<string, { path: string; rel: string }[]>()
  for (const e of await entries(root, rel)) {
    const r = rel ? `${rel}/${e.name}` : e.name
    if (e.kind === 'dir') classes.set(e.name, [...(classes.get(e.name) ?? []), { path: e.path, rel: r }])
    else if (e.kind === 'dir-link') skipped.push({ file: r, reason: LINK_REASON })
    else skipped.push({ file: r, reason: 'not inside a class folder (put each class’s images in a folder named after the class)' })
  }
  return classes
}

async function filesOf(
  classes: Map<string, { path: string; rel: string }[]>,
  classNames: string[],
  skipped: SkippedFile[]
): Promise<ScannedFile[]> {
  const files: ScannedFile[] = []
  for (const [label, name] of classNames.entries()) {
    const found: { path: string; rel: string }[] = []
    for (const folder of classes.get(name) ?? []) found.push(...(await filesBelow(folder.path, folder.rel, skipped)))
    found.sort((a, b) => byCodeUnits(a.rel, b.rel))
    for (const f of found) files.push({ ...f, label })
  }
  return files
}

const quote = (names: string[]): string => names.map((n) => `'${n}'`).join(', ')

/** Reads the folder's layout; throws a {@link DatasetError} when it cannot hold a dataset. */
export async function scanFolder(folder: string): Promise<FolderScan> {
  const info = await stat(folder).catch((cause: NodeJS.ErrnoException) => {
    throw new DatasetError(
      folder,
      `cannot be read (${cause.code ?? cause.message}); give the path of a folder with one subfolder per class`,
      {
        code: cause.code === 'ENOENT' ? 'missing' : 'io',
        cause
      }
    )
  })
  if (!info.isDirectory()) {
    throw new DatasetError(folder, 'is not a folder; give the path of a folder with one subfolder per class', { code: 'invalid' })
  }
  const skipped: SkippedFile[] = []
  const top = await entries(folder, '')
  const trainDir = top.find((e) => e.kind === 'dir' && e.name.toLowerCase() === 'train')
  const testDir = top.find((e) => e.kind === 'dir' && e.name.toLowerCase() === 'test')

  if (trainDir && testDir) {
    const trainClasses = await classFolders(trainDir.path, trainDir.name, skipped)
    const testClasses = await classFolders(testDir.path, testDir.name, skipped)
    const classNames = checkClasses(folder, [...trainClasses.keys()])
    const missingFromTest = classNames.filter((n) => !testClasses.has(n))
    if (missingFromTest.length > 0) {
      throw new DatasetError(
        folder,
        `class ${quote(missingFromTest)} has a folder in ${trainDir.name}/ but none in ${testDir.name}/; add it there (with test images) or remove it from ${trainDir.name}/`,
        { code: 'invalid' }
      )
    }
    const onlyInTest = [...testClasses.keys()].filter((n) => !trainClasses.has(n)).sort(byCodeUnits)
    if (onlyInTest.length > 0) {
      throw new DatasetError(
        folder,
        `class ${quote(onlyInTest)} has a folder in ${testDir.name}/ but none in ${trainDir.name}/; add it there (with training images) or remove it from ${testDir.name}/`,
        { code: 'invalid' }
      )
    }
    for (const e of top) {
      if (e !== trainDir && e !== testDir) skipped.push({ file: e.name, reason: 'outside train/ and test/' })
    }
    const train = await filesOf(trainClasses, classNames, skipped)
    const test = await filesOf(testClasses, classNames, skipped)
    return { classNames, train, test, skipped }
  }

  // A lone train/ (no other folder beside it) is the class root; files beside it are listed as skipped.
  const root = trainDir && top.filter((e) => e.kind === 'dir').length === 1 ? trainDir : null
  if (root) for (const e of top) if (e !== root) skipped.push({ file: e.name, reason: `outside ${root.name}/` })
  const classes = await classFolders(root ? root.path : folder, root ? root.name : '', skipped)
  const classNames = checkClasses(folder, [...classes.keys()])
  return { classNames, train: await filesOf(classes, classNames, skipped), test: null, skipped }
}

/** Sorted class names; a folder with fewer than two or more than {@link MAX_CLASSES} classes cannot be trained on. */
function checkClasses(folder: string, names: string[]): string[] {
  const classNames = [...names].sort(byCodeUnits)
  if (classNames.length === 0) {
    throw new DatasetError(
      folder,
      'has no class folders; put the images of each class in a subfolder named after the class (at least two)',
      {
        code: 'invalid'
      }
    )
  }
  if (classNames.length === 1) {
    throw new DatasetError(
      folder,
      `has a single class folder ('${classNames[0]}'); a classifier needs at least two classes, each in its own subfolder`,
      {
        code: 'invalid'
      }
    )
  }
  if (classNames.length > MAX_CLASSES) {
    throw new DatasetError(
      folder,
      `has ${classNames.length} class folders; at most ${MAX_CLASSES} classes are supported; merge or remove some`,
      {
        code: 'invalid'
      }
    )
  }
  return classNames
}
