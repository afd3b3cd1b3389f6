/** Which views the missing dataset replaces: only those that train (and a first start with no runs yet). */
import type { Route } from '@renderer/stores/router'

export interface DatasetGateInput {
  route: Route['name']
  /** Fashion-MNIST's four files are present and look whole. */
  ready: boolean
  /** Runs in the database. */
  runCount: number
  /** Some other dataset (MNIST, an imported folder…) is ready to train on. */
  otherReady?: boolean
}

/** Views that cannot work without the images: they show the dataset screen instead. */
const NEEDS_DATASET: ReadonlySet<Route['name']> = new Set(['new', 'sweep-new'])

/**
 * `screen`: the dataset screen in place of the view; `banner`: the view, with a banner that says what
 * is unavailable and how to fix it; `none`: the view as it is.
 */
export function datasetGate({ route, ready, runCount, otherReady = false }: DatasetGateInput): 'screen' | 'banner' | 'none' {
  if (route === 'dataset') return 'screen'
  // The Datasets view is where the missing dataset is fixed; Settings where its folder is chosen.
  if (route === 'datasets' || route === 'settings') return 'none'
  if (ready) return 'none'
  // New run trains on any ready dataset (its picker offers only those); a sweep still trains on Fashion-MNIST.
  if (route === 'new' && otherReady) return 'none'
  if (NEEDS_DATASET.has(route)) return 'screen'
  // A first start has nothing to show but the way to get the dataset.
  if (route === 'experiments' && runCount === 0 && !otherReady) return 'screen'
  return 'banner'
}
