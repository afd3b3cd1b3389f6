/**
 * `POST /api/<channel>`: one request frame in, one ApiResult frame out, through the same
 * `core.route` (same schemas, same typed errors) as the app's IPC. Export channels answer with the
 * file itself, as a download, where the app would open a save dialog.
 */
import type { Context } from 'hono'
import type { ApiError, ApiResult } from '@shared/api'
import { decodeFrame, encodeFrame, FRAME_TYPE } from '@shared/wire-frame'
import type { Core } from '../core/core'
import { fileBytes, type ExportedFile } from '../core/export/exported-file'

const MEDIA: Record<ExportedFile['kind'], string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  onnx: 'application/octet-stream',
  zip: 'application/zip',
  pdf: 'application/pdf'
}

/** An ApiResult as a frame response. */
export function frameResponse(result: ApiResult<unknown>, status = 200): Response {
  return new Response(encodeFrame(result), { status, headers: { 'Content-Type': FRAME_TYPE, 'Cache-Control': 'no-store' } })
}

export const failure = (code: ApiError['code'], message: string): ApiResult<never> => ({ ok: false, error: { code, message } })

/** Reads the request body as a frame (the HTTP client) or as plain JSON (scripts); null with a reason when it is neither. */
async function readRequest(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 415; message: string }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase()
  if (type !== FRAME_TYPE && type !== 'application/json') {
    return { ok: false, status: 415, message: `Send the request as ${FRAME_TYPE} or application/json, not "${type || 'no type'}".` }
  }
  const body = new Uint8Array(await c.req.arrayBuffer())
  try {
    if (type === 'application/json') return { ok: true, value: body.byteLength === 0 ? {} : JSON.parse(new TextDecoder().decode(body)) }
    return { ok: true, value: decodeFrame(body) }
  } catch (error) {
    return { ok: false, status: 400, message: `The request body could not be read: ${(error as Error).message}.` }
  }
}

/** The download response for an exported file. */
function download(file: ExportedFile): Response {
  // The core already reduced the name to letters, digits, spaces, dots, dashes and underscores.
  return new Response(new Uint8Array(fileBytes(file)), {
    headers: {
      'Content-Type': MEDIA[file.kind],
      'Content-Disposition': `attachment; filename="${file.name}"`,
      'Cache-Control': 'no-store'
    }
  })
}

/** The handler for `POST /api/:channel`. */
export function apiEndpoint(core: Core): (c: Context) => Promise<Response> {
  return async (c) => {
    const channel = c.req.param('channel') ?? ''
    const request = await readRequest(c)
    if (!request.ok) return frameResponse(failure('invalid_request', `${request.message} Nothing was changed.`), request.status)
    if (core.isExportChannel(channel)) {
      const result = await core.exportFile(channel, request.value)
      return result.ok ? download(result.data) : frameResponse(result)
    }
    return frameResponse(await core.route(channel, request.value))
  }
}
