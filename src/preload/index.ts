/**
 * The sandboxed preload: exposes exactly `AtelierApi` as `window.atelier` and nothing else.
 *
 * A sandboxed preload may only `require('electron')`, and electron-vite externalizes
 * dependencies, so this file imports the contract as types only. The channel and event tables
 * below are checked against the contract by the compiler: a missing or extra name fails the build.
 */
import { errorMessage } from '@shared/error-text'
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type {
  ApiResult,
  AtelierApi,
  Channel,
  EventMap,
  EventName,
  IPC_EVENT_PREFIX as EventPrefix,
  IPC_INVOKE as InvokeChannel
} from '@shared/api'

const IPC_INVOKE: typeof InvokeChannel = 'atelier:invoke'
const IPC_EVENT_PREFIX: typeof EventPrefix = 'atelier:event:'

const CHANNELS: Record<Channel, true> = {
  'app.info': true,
  'settings.get': true,
  'settings.update': true,
  'dataset.status': true,
  'dataset.download': true,
  'dataset.import': true,
  'dataset.testSet': true,
  'datasets.list': true,
  'datasets.get': true,
  'datasets.samples': true,
  'datasets.download': true,
  'datasets.importOfficial': true,
  'datasets.addFolder': true,
  'datasets.pickFolder': true,
  'datasets.cancel': true,
  'datasets.remove': true,
  'runs.list': true,
  'runs.get': true,
  'runs.getMany': true,
  'runs.predictions': true,
  'runs.start': true,
  'runs.startSeedPresets': true,
  'runs.estimate': true,
  'runs.rerun': true,
  'runs.cancel': true,
  'runs.update': true,
  'runs.delete': true,
  'queue.status': true,
  'team.status': true,
  'runs.submit': true,
  'export.run': true,
  'export.predictions': true,
  'export.file': true,
  'dataset.importFiles': true,
  'runs.resume': true,
  'runs.trainMore': true,
  'runs.modelInfo': true,
  'models.storage': true,
  'models.dropCheckpoints': true,
  'export.model': true,
  'models.predict': true,
  'models.saliency': true,
  'compare.significance': true,
  'export.runsTable': true,
  'export.compareReport': true,
  'runs.startRepeats': true,
  'runs.repeat': true,
  'runs.diagnoses': true,
  'groups.list': true,
  'groups.get': true,
  'groups.getMany': true,
  'sweeps.start': true,
  'sweeps.list': true,
  'sweeps.get': true,
  'architectures.list': true,
  'architectures.get': true,
  'architectures.save': true,
  'architectures.delete': true
}

const EVENTS: Record<EventName, true> = {
  'runs.progress': true,
  'runs.epoch': true,
  'runs.updated': true,
  'runs.deleted': true,
  'runs.phase': true,
  'dataset.progress': true,
  'datasets.progress': true,
  'datasets.changed': true
}

function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name)
}

function isEvent(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name)
}

function refused(message: string): ApiResult<never> {
  return { ok: false, error: { code: 'unknown_channel', message } }
}

const api: AtelierApi = {
  async invoke(channel, request) {
    if (!isChannel(channel)) {
      return refused(`"${String(channel)}" is not a channel of the Atelier API; nothing was sent.`)
    }
    try {
      return await ipcRenderer.invoke(IPC_INVOKE, channel, request)
    } catch (err) {
      // Only reachable when the request cannot be cloned or main went away.
      const message = errorMessage(err)
      return { ok: false, error: { code: 'failed', message: `The request could not reach the app: ${message}` } }
    }
  },
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    if (!isEvent(event)) {
      throw new TypeError(`"${String(event)}" is not an event of the Atelier API.`)
    }
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.')
    // The Electron event object is dropped: it carries the sender and must not reach the page.
    const handler = (_e: IpcRendererEvent, payload: EventMap[E]): void => listener(payload)
    const name = IPC_EVENT_PREFIX + event
    ipcRenderer.on(name, handler)
    return () => {
      ipcRenderer.removeListener(name, handler)
    }
  }
}

contextBridge.exposeInMainWorld('atelier', api)
