/** The browser shell's access token: random per start, compared in constant time. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A fresh 256-bit token, URL-safe. */
export function createAccessToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * True when `given` is the token. Both sides are hashed first so the comparison takes the same time
 * whatever the length or content of the guess (timingSafeEqual needs equal lengths).
 */
export function isAccessToken(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(token))
}
