/** The one error type of the dataset module: its message always starts with the file it is about. */

/** What kind of failure a {@link DatasetError} reports, for callers that branch on it. */
export type DatasetErrorCode =
  /** The file is not in the folder. */
  | 'missing'
  /** The file is there but its content is wrong (checksum, header, length, gzip stream). */
  | 'corrupt'
  /** The download failed on the way (connection, HTTP status, size). */
  | 'network'
  /** The caller aborted the download. */
  | 'cancelled'
  /** Reading or writing the disk failed. */
  | 'io'
  /** The input cannot make a dataset (an image folder with one class, no images, classes missing from test/). */
  | 'invalid'

export interface DatasetErrorOptions {
  code: DatasetErrorCode
  /** The lower-level error, kept for logs. */
  cause?: unknown
}

/** A dataset problem a person can act on: `<file>: <what happened> — <what was kept / what to do>`. */
export class DatasetError extends Error {
  /** The dataset file the problem is about (its published `.gz` name, or the raw name when that is what was read). */
  readonly file: string
  readonly code: DatasetErrorCode

  constructor(file: string, problem: string, options: DatasetErrorOptions) {
    super(`${file}: ${problem}`, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'DatasetError'
    this.file = file
    this.code = options.code
  }
}

/** Formats a byte or item count with thousands separators, the way error messages show them. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}
