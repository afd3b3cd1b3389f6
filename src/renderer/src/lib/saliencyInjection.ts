/** Lets any gallery thumbnail inside a run view open the saliency map of its test image. */
import type { InjectionKey } from 'vue'

/** Opens the saliency dialog for a test image index; provided by the run view's test results. */
export const OPEN_SALIENCY: InjectionKey<(testIndex: number) => void> = Symbol('openSaliency')
