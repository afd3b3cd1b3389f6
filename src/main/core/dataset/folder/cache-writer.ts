/**
 * Writes a cache file (format in cache-format.ts) atomically: everything goes to
 * `<outFile>.<random>.part` beside it, which is fsynced and renamed over `outFile` only at the very end.
 * `abort()` (or any failure) deletes the part file, so nothing half-made is ever left under `outFile`.
 */
import { createHash, randomBytes } from 'node:crypto'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { DatasetError } from '../errors'
import { ChunkedWriter } from './chunked-writer'
import { CACHE_FORMAT, CACHE_PREAMBLE_BYTES, CACHE_VERSION, encodePreamble, type CacheHeader } from './cache-format'

export class CacheWriter {
  private readonly out: ChunkedWriter
  private readonly hash = createHash('sha256')
  private closed = false

  private constructor(
    private readonly file: FileHandle,
    /** The temporary file being written. */
    readonly partFile: string,
    private readonly outFile: string
  ) {
    this.out = new ChunkedWriter(file, CACHE_PREAMBLE_BYTES)
  }

  /** Creates the part file beside `outFile` (never an existing file). */
  static async create(outFile: string): Promise<CacheWriter> {
    const partFile = `${outFile}.${randomBytes(6).toString('hex')}.part`
    try {
      const file = await open(partFile, 'wx')
      return new CacheWriter(file, partFile, outFile)
    } catch (cause) {
      throw ioError(outFile, 'cannot be created', cause)
    }
  }

  /** Appends data-region bytes (images or labels, in file order); they count towards the content hash. */
  async append(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes)
    try {
      await this.out.append(bytes)
    } catch (cause) {
      throw ioError(this.outFile, 'cannot be written', cause)
    }
  }

  /** Hex SHA-256 of everything appended so far. */
  contentHash(): string {
    return this.hash.copy().digest('hex')
  }

  /** Writes the header and preamble, fsyncs and renames the part file over `outFile`. */
  async finish(header: Omit<CacheHeader, 'format' | 'version'>): Promise<void> {
    const json = Buffer.from(JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, ...header }), 'utf8')
    try {
      const headerOffset = this.out.offset
      await this.out.append(json)
      await this.out.flush()
      const preamble = encodePreamble(headerOffset, json.length)
      await this.file.write(preamble, 0, preamble.length, 0)
      await this.file.sync()
      this.closed = true
      await this.file.close()
      await rename(this.partFile, this.outFile)
    } catch (cause) {
      await this.abort()
      throw ioError(this.outFile, 'cannot be written', cause)
    }
  }

  /** Closes and deletes the part file; safe to call more than once. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true
      await this.file.close().catch(() => undefined)
    }
    await rm(this.partFile, { force: true }).catch(() => undefined)
  }
}

function ioError(outFile: string, what: string, cause: unknown): DatasetError {
  const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message
  return new DatasetError(
    outFile,
    `${what} (${code}); nothing was imported — free some disk space or check the folder's permissions and try again`,
    {
      code: 'io',
      cause
    }
  )
}
