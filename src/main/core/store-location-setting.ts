/**
 * The run store chosen in Settings: a SQLite file, or a team store's postgres:// URL. The URL's
 * password is kept in this machine's settings file and never sent to the page: the page sees the URL
 * masked, and a masked password it sends back stands for the one already saved.
 */
import { shownStoreLocation } from './default-paths'
import { conflict } from './errors'
import { openRunStore } from './store'
import { isPostgresUrl, maskSecrets } from './store/store-location'
import { errorMessage } from '@shared/error-text'

/** What the page shows for a saved store location. */
export const storeLocationForPage = shownStoreLocation

/** The masked form of a password in a URL (see maskSecrets). */
const MASK = '***'

/**
 * A store location the page sent, checked: a URL must parse and its database must answer (so a typo
 * is said now, not at the next start); a masked password is replaced with the saved one.
 */
export async function checkStoreLocationChange(next: string, saved: string): Promise<string> {
  if (!isPostgresUrl(next)) return next
  let url: URL
  try {
    url = new URL(next)
  } catch {
    throw conflict(`${maskSecrets(next)} is not a URL; write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE. Nothing was saved.`)
  }
  if (decodeURIComponent(url.password) === MASK && isPostgresUrl(saved)) {
    url.password = new URL(saved).password
  }
  const location = url.toString()
  try {
    const store = await openRunStore(location)
    await store.close()
  } catch (error) {
    throw conflict(`${maskSecrets(errorMessage(error))} Nothing was saved.`)
  }
  return location
}
