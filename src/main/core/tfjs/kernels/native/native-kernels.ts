/**
 * Our WebAssembly SIMD kernels (kernels.c), instantiated on the WASM backend's own linear memory so they
 * read and write tensors in place. With the threaded backend (shared memory) a convolution's filter gradient
 * is split between this thread and helper threads: Node workers that instantiate the same module on the same
 * memory and wait on a control word in it (Atomics), as Emscripten's pthreads do.
 */
import { Worker } from 'node:worker_threads'
import { KERNELS_PLAIN, KERNELS_PLAIN_FMA, KERNELS_SHARED, KERNELS_SHARED_FMA } from './kernels-wasm'
import { webAssembly, type LinearMemory } from './webassembly'

/** What the kernels need of the backend's Emscripten module. */
export interface KernelHeap {
  memory: LinearMemory
  malloc(bytes: number): number
}

/** Shape of a convolution, NHWC, no dilation (the fields of `ConvShape` in kernels.c). */
export interface ConvShape {
  n: number
  h: number
  w: number
  ci: number
  outH: number
  outW: number
  co: number
  fh: number
  fw: number
  sh: number
  sw: number
  top: number
  left: number
}

/** Byte offsets of tensors in the heap. */
export interface FilterGradBuffers {
  x: number
  dy: number
  dw: number
}

/** Byte offsets of a forward convolution's tensors in the heap; bias 0 means none. */
export interface ConvForwardBuffers {
  x: number
  w: number
  bias: number
  y: number
  relu: boolean
}

/** Output channels of one forward-convolution tile (CO_TILE in kernels.c). */
export const CONV_CO_TILE = 8

/** Whether {@link NativeKernels.convWinograd} takes this convolution. */
export function winogradFits(s: ConvShape): boolean {
  return s.fh === 3 && s.fw === 3 && s.sh === 1 && s.sw === 1 && s.ci % 4 === 0 && s.co % CONV_CO_TILE === 0
}

export interface MaxPoolGradArgs {
  x: number
  y: number
  dy: number
  dx: number
  /** [n, h, w, c] of x. */
  shape: readonly number[]
  outH: number
  outW: number
  k: number
  top: number
  left: number
}

/** The functions threads share: each takes units from the counter `next`, `chunk` at a time (kernels.c). */
const SHARED_FUNCTIONS = ['conv_filter_grad', 'conv_forward', 'conv_winograd', 'conv_narrow'] as const
type SharedFunction = (typeof SHARED_FUNCTIONS)[number]

type Exports = Record<SharedFunction | 'max_pool_grad_tiled' | 'winograd_filter', (...args: number[]) => void> & {
  conv_filter_grad_units(shape: number): number
  conv_forward_units(shape: number): number
  winograd_units(shape: number): number
  conv_narrow_units(shape: number): number
  winograd_scratch_floats(shape: number): number
}

const SHAPE_FIELDS = 13
/** Control words per helper: state, function (index in SHARED_FUNCTIONS), then up to 10 arguments. */
const SLOT_WORDS = 12
const MAX_ARGS = SLOT_WORDS - 2
/** Chunks of work per thread: small enough to rebalance when a thread is held back, large enough to reuse cache. */
const CHUNKS_PER_THREAD = 4
const IDLE = 0
const POSTED = 1
const BUSY = 2
const DONE = 3
/** A helper that took work and has not finished in this long is gone; the call fails rather than hang a run. */
const HELPER_TIMEOUT_MS = 60_000

/**
 * Helper thread: instantiates the module on the shared memory, then waits for its slot to be POSTED, claims it
 * (BUSY), runs the function it names (which takes units from the shared counter until none are left), and
 * marks the slot DONE.
 * A slot the caller withdrew (back to IDLE, because it finished every unit itself first) is simply skipped.
 */
const HELPER_SOURCE = String.raw`
const { workerData, parentPort } = require('node:worker_threads')
const { module, memory, slot } = workerData
const k = new WebAssembly.Instance(module, { env: { memory } }).exports
const functions = ${JSON.stringify(SHARED_FUNCTIONS)}.map((name) => k[name])
const ctl = new Int32Array(memory.buffer)
parentPort.postMessage('ready')
for (;;) {
  const state = Atomics.load(ctl, slot)
  if (state === ${POSTED}) {
    if (Atomics.compareExchange(ctl, slot, ${POSTED}, ${BUSY}) !== ${POSTED}) continue
    functions[ctl[slot + 1]](...ctl.subarray(slot + 2, slot + ${SLOT_WORDS}))
    Atomics.store(ctl, slot, ${DONE})
    Atomics.notify(ctl, slot)
  } else Atomics.wait(ctl, slot, state)
}
`

export class NativeKernels {
  private readonly k: Exports
  private readonly shape: number
  private readonly control: number
  /** The next unfinished unit of a shared call, then the next thread number. */
  private readonly counter: number
  private readonly helpers: Worker[] = []
  private readonly started: Promise<void>[] = []

  /** Whether this instance uses fused multiply-adds (relaxed SIMD). */
  readonly fma: boolean

  /**
   * `threads` counts this thread; more than 1 needs a shared memory. Fused multiply-adds are used where the
   * engine has relaxed SIMD (Node 24 and Electron do; Node 20 does not), unless `fma` says otherwise.
   */
  constructor(
    private readonly heap: KernelHeap,
    threads: number,
    fma?: boolean
  ) {
    // A process may have no SharedArrayBuffer at all (then the backend runs single-threaded on a plain memory).
    const shared = typeof SharedArrayBuffer === 'function' && heap.memory.buffer instanceof SharedArrayBuffer
    const withFma = decode(shared ? KERNELS_SHARED_FMA : KERNELS_PLAIN_FMA)
    this.fma = fma ?? webAssembly.validate(withFma)
    const module = new webAssembly.Module(this.fma ? withFma : decode(shared ? KERNELS_SHARED : KERNELS_PLAIN))
    this.k = new webAssembly.Instance(module, { env: { memory: heap.memory } }).exports as unknown as Exports
    const helperCount = shared ? Math.max(0, Math.floor(threads) - 1) : 0
    this.shape = heap.malloc(SHAPE_FIELDS * 4)
    this.control = heap.malloc(Math.max(1, helperCount) * SLOT_WORDS * 4)
    this.counter = heap.malloc(8)
    for (let i = 0; i < helperCount; i++) {
      const slot = this.control / 4 + i * SLOT_WORDS
      Atomics.store(this.words(), slot, IDLE)
      const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory: heap.memory, slot } })
      worker.unref()
      this.helpers.push(worker)
      this.started.push(
        new Promise((resolve, reject) => {
          worker.once('message', () => resolve())
          worker.once('error', reject)
        })
      )
    }
  }

  /** Threads a call can use: this one and its helpers. */
  get threads(): number {
    return this.helpers.length + 1
  }

  /**
   * Resolves once every helper thread runs the module (calls made before simply do more of the work on this
   * thread); rejects with a helper's start-up error.
   */
  async ready(): Promise<void> {
    await Promise.all(this.started)
  }

  /** Stops the helper threads. */
  async close(): Promise<void> {
    await Promise.all(this.helpers.map((w) => w.terminate()))
    this.helpers.length = 0
  }

  private words(): Int32Array {
    // A fresh view each time: growing the memory replaces (a non-shared) buffer.
    return new Int32Array(this.heap.memory.buffer)
  }

  /** dw (already allocated, [fh, fw, ci, co]) = the filter gradient. */
  convFilterGrad(s: ConvShape, b: FilterGradBuffers): void {
    this.writeShape(s)
    this.runShared('conv_filter_grad', [this.shape, b.x, b.dy, b.dw], this.k.conv_filter_grad_units(this.shape))
  }

  /**
   * y (already allocated, [n, outH, outW, co]) = x ⊛ w, plus bias (0: none), then max(·, 0) when `relu`.
   * co must be a multiple of {@link CONV_CO_TILE} (tiles of pixels × channels), or ci of 4 (one dot product
   * per output: for few output channels, such as a first layer's input gradient).
   */
  convForward(s: ConvShape, b: ConvForwardBuffers): void {
    const args = [this.shape, b.x, b.w, b.bias, b.y, b.relu ? 1 : 0]
    if (s.co % CONV_CO_TILE === 0) {
      this.writeShape(s)
      this.runShared('conv_forward', args, this.k.conv_forward_units(this.shape))
    } else if (s.ci % 4 === 0) {
      this.writeShape(s)
      this.runShared('conv_narrow', args, this.k.conv_narrow_units(this.shape))
    } else throw new Error(`the native convolution needs a multiple of ${CONV_CO_TILE} output channels or of 4 input channels`)
  }

  /**
   * The same convolution by Winograd F(2×2, 3×3), for 3×3 filters at stride 1 with ci a multiple of 4 and co of
   * {@link CONV_CO_TILE}: 2.25× fewer multiplications. `temp(floats)` gives a heap buffer for this call.
   */
  convWinograd(s: ConvShape, b: ConvForwardBuffers, temp: (floats: number) => number): void {
    if (!winogradFits(s)) throw new Error('the Winograd convolution takes 3×3 filters at stride 1, ci % 4 = 0, co % 8 = 0')
    this.writeShape(s)
    const u = temp(16 * s.ci * s.co)
    const scratch = temp(this.threads * this.k.winograd_scratch_floats(this.shape))
    this.k.winograd_filter(b.w, u, s.ci, s.co)
    this.runShared('conv_winograd', [this.shape, b.x, u, b.bias, b.y, b.relu ? 1 : 0, scratch], this.k.winograd_units(this.shape))
  }

  private writeShape(s: ConvShape): void {
    this.words().set([s.n, s.h, s.w, s.ci, s.outH, s.outW, s.co, s.fh, s.fw, s.sh, s.sw, s.top, s.left], this.shape / 4)
  }

  /** Runs `fn(...args, next, chunk)` on this thread and the helpers, which share its `units` through a counter. */
  private runShared(fn: SharedFunction, args: number[], units: number): void {
    const words = this.words()
    const parts = Math.min(this.threads, units)
    const chunk = Math.max(1, Math.ceil(units / (parts * CHUNKS_PER_THREAD)))
    const call = [...args, this.counter, chunk]
    if (call.length > MAX_ARGS) throw new Error(`${fn} takes more arguments than a helper slot holds`)
    Atomics.store(words, this.counter / 4, 0)
    Atomics.store(words, this.counter / 4 + 1, 0)
    for (let i = 1; i < parts; i++) {
      const slot = this.control / 4 + (i - 1) * SLOT_WORDS
      words.set([SHARED_FUNCTIONS.indexOf(fn), ...call], slot + 1)
      Atomics.store(words, slot, POSTED)
      Atomics.notify(words, slot)
    }
    this.k[fn](...call)
    for (let i = 1; i < parts; i++) {
      const slot = this.control / 4 + (i - 1) * SLOT_WORDS
      // A helper that never woke (still POSTED) is withdrawn: the counter is spent, there is nothing left for it.
      if (Atomics.compareExchange(words, slot, POSTED, IDLE) === POSTED) continue
      const started = Date.now()
      while (Atomics.load(words, slot) !== DONE) {
        if (Date.now() - started > HELPER_TIMEOUT_MS) throw new Error('a native kernel thread stopped answering')
        Atomics.wait(words, slot, BUSY, 1000)
      }
      Atomics.store(words, slot, IDLE)
    }
  }

  /** dx (already allocated, x's shape) = MaxPoolGrad for k×k windows with stride k. */
  maxPoolGradTiled(a: MaxPoolGradArgs): void {
    const [n, h, w, c] = a.shape
    this.k.max_pool_grad_tiled(a.x, a.y, a.dy, a.dx, n!, h!, w!, c!, a.outH, a.outW, a.k, a.top, a.left)
  }
}

function decode(base64: string): Uint8Array {
  return Uint8Array.from(Buffer.from(base64, 'base64'))
}

/** The parts of the WASM backend (and its Emscripten module) the native kernels use. */
interface WasmBackendParts {
  wasm: {
    /** The threaded build's shared memory. */
    wasmMemory?: LinearMemory
    /** The single-threaded build's memory, exported by its instance. */
    asm?: { memory?: LinearMemory }
    _malloc(bytes: number): number
    tfjs: { getThreadsCount(): number }
  }
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined }
}

const perBackend = new WeakMap<object, NativeKernels>()

/** The native kernels on this WASM backend's memory, with as many threads as the backend has (made once). */
export function nativeKernelsOf(backend: object): NativeKernels {
  let kernels = perBackend.get(backend)
  if (!kernels) {
    const { wasm } = backend as WasmBackendParts
    const memory = wasm.wasmMemory ?? wasm.asm?.memory
    if (!memory) throw new Error('the wasm backend exposes no memory for the native kernels')
    kernels = new NativeKernels({ memory, malloc: (bytes) => wasm._malloc(bytes) }, wasm.tfjs.getThreadsCount())
    perBackend.set(backend, kernels)
  }
  return kernels
}

/** Byte offset of a tensor's data in the WASM backend's heap. */
export function heapOffset(backend: object, dataId: object): number {
  const entry = (backend as WasmBackendParts).dataIdMap.get(dataId)
  if (!entry) throw new Error('tensor data is not on the wasm backend')
  return entry.memoryOffset
}
