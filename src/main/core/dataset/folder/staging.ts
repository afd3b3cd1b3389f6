/**
 * The staging file of a folder import: decoded images appended in scan order, so the test split can be
 * drawn from the images that really decoded (a cut-off file is only found out when decoding it) while
 * memory stays bounded. It sits beside the cache file as `<outFile>.<random>.stage.part` and is always
 * deleted at the end, whatever happens.
 */
import { randomBytes } from 'node:crypto'
import { open, rm, type FileHandle } from 'node:fs/promises'
import { DatasetError } from '../errors'
import { CHUNK_BYTES, ChunkedWriter } from './chunked-writer'

export class StagingFile {
  private readonly out: ChunkedWriter
  /** Images appended. */
  count = 0

  private constructor(
    private readonly file: FileHandle,
    readonly path: string,
    /** Bytes of one image. */
    readonly imageBytes: number,
    private readonly outFile: string
  ) {
    this.out = new ChunkedWriter(file, 0)
  }

  static async create(outFile: string, imageBytes: number): Promise<StagingFile> {
    const path = `${outFile}.${randomBytes(6).toString('hex')}.stage.part`
    const file = await open(path, 'wx+').catch((cause: unknown) => {
      throw writeError(outFile, cause)
    })
    return new StagingFile(file, path, imageBytes, outFile)
  }

  /** Appends one decoded image (copied). */
  async append(image: Uint8Array): Promise<void> {
    try {
      await this.out.append(image)
    } catch (cause) {
      throw writeError(this.outFile, cause)
    }
    this.count++
  }

  /**
   * Calls `take` with every image whose index `keep` accepts, in index order, reading the file
   * sequentially in chunks of about 4 MB.
   */
  async forEach(keep: (index: number) => boolean, take: (image: Uint8Array) => Promise<void>): Promise<void> {
    await this.out.flush().catch((cause: unknown) => {
      throw writeError(this.outFile, cause)
    })
    const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / this.imageBytes))
    const buffer = Buffer.alloc(perChunk * this.imageBytes)
    for (let first = 0; first < this.count; first += perChunk) {
      const n = Math.min(perChunk, this.count - first)
      const { bytesRead } = await this.file.read(buffer, 0, n * this.imageBytes, first * this.imageBytes)
      if (bytesRead !== n * this.imageBytes)
        throw new Error(`staging file ${this.path} read ${bytesRead} bytes, expected ${n * this.imageBytes}`)
      for (let i = 0; i < n; i++) {
        if (keep(first + i)) await take(buffer.subarray(i * this.imageBytes, (i + 1) * this.imageBytes))
      }
    }
  }

  /** Closes and deletes the file; safe to call more than once. */
  async remove(): Promise<void> {
    await this.file.close().catch(() => undefined)
    await rm(this.path, { force: true }).catch(() => undefined)
  }
}

function writeError(outFile: string, cause: unknown): DatasetError {
  const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message
  return new DatasetError(
    outFile,
    `cannot be written (${code}); nothing was imported — free some disk space or check the folder's permissions and try again`,
    {
      code: 'io',
      cause
    }
  )
}
