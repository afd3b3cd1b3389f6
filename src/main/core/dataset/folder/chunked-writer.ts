/** Sequential writes through one reused buffer: bytes are copied once, written in chunks of about 4 MB. */
import type { FileHandle } from 'node:fs/promises'

export const CHUNK_BYTES = 4 * 1024 * 1024

export class ChunkedWriter {
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  private used = 0

  /** `written`: where the first appended byte goes in the file. */
  constructor(
    private readonly file: FileHandle,
    private written: number
  ) {}

  /** File offset of the next byte appended (counting bytes not yet flushed). */
  get offset(): number {
    return this.written + this.used
  }

  /** Copies `bytes` into the chunk, writing it out whenever it fills; callers may reuse `bytes` at once. */
  async append(bytes: Uint8Array): Promise<void> {
    for (let done = 0; done < bytes.length;) {
      const n = Math.min(bytes.length - done, CHUNK_BYTES - this.used)
      this.chunk.set(bytes.subarray(done, done + n), this.used)
      this.used += n
      done += n
      if (this.used === CHUNK_BYTES) await this.flush()
    }
  }

  /** Writes what is gathered; the file then holds everything appended. */
  async flush(): Promise<void> {
    for (let written = 0; written < this.used;) {
      const { bytesWritten } = await this.file.write(this.chunk, written, this.used - written, this.written + written)
      written += bytesWritten
    }
    this.written += this.used
    this.used = 0
  }
}
