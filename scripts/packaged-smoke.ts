/**
 * Smoke test of the PACKAGED app (`npm run dist -- --dir` first): starts dist/'s executable with its own
 * asar, fuses and unpacked WASM, reaches the renderer over CDP, trains a small dense run to completion on
 * the real dataset and asks Try it for a prediction (the inference worker loaded from app.asar).
 *
 *   ATELIER_DATA_DIR=/path/to/fashion-mnist npx tsx scripts/packaged-smoke.ts [extra app args]
 *
 * Exits 0 when the app trained and predicted; otherwise 1, saying what failed and what the app printed.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultHparams } from '../src/shared/hparams'
import { ROOT } from './node-bin'
import { packagedExecutable, smokeOverCdp, startWithDevtools } from './packaged-app'
import { judgeSmoke, type SmokeInput } from './smoke-check'

const EPOCHS = 1

/** The run the smoke check trains: dense, one epoch on 2,000 images (about a minute on a CI runner). */
export function smokeInput(): SmokeInput {
  return {
    hparams: { ...defaultHparams('dense'), epochs: EPOCHS, trainSubset: 2000 },
    name: 'packaged smoke',
    timeoutMs: 10 * 60_000,
    pollMs: 1000
  }
}

/** The app's environment: its own user-data folder and database in `temp`, the dataset read-only from `dataDir`. */
export function smokeEnv(base: NodeJS.ProcessEnv, temp: string, dataDir: string): NodeJS.ProcessEnv {
  return { ...base, ATELIER_USER_DATA_DIR: join(temp, 'user-data'), ATELIER_DB: join(temp, 'atelier.db'), ATELIER_DATA_DIR: dataDir }
}

async function main(): Promise<number> {
  const dataDir = process.env['ATELIER_DATA_DIR']
  if (!dataDir) {
    console.error('packaged smoke: set ATELIER_DATA_DIR to a folder with the four Fashion-MNIST files; nothing was started.')
    return 2
  }
  const executable = packagedExecutable(join(ROOT, 'dist'))
  const temp = mkdtempSync(join(tmpdir(), 'atelier-packaged-'))
  console.log(`packaged smoke: starting ${executable}`)
  const app = await startWithDevtools({
    executable,
    args: process.argv.slice(2),
    env: smokeEnv(process.env, temp, dataDir),
    userDataDir: join(temp, 'user-data')
  })
  try {
    console.log(`packaged smoke: renderer reachable at ${app.endpoint}; training a dense run…`)
    const result = await smokeOverCdp(app.endpoint, { pageUrl: /^app:\/\/atelier\//, input: smokeInput() })
    console.log(`packaged smoke: ${JSON.stringify(result)}`)
    const problems = judgeSmoke(result, { epochs: EPOCHS, minTestAccuracy: 0.5 })
    if (problems.length > 0) {
      console.error(`packaged smoke FAILED: ${problems.join('; ')}\n--- app output ---\n${app.output().slice(-4000)}`)
      return 1
    }
    console.log(
      `packaged smoke passed: run ${result.runId} trained on ${result.backend}, test accuracy ${result.testAccuracy}; Try it said ${result.predicted} for a ${result.label}.`
    )
    return 0
  } catch (error) {
    console.error(
      `packaged smoke FAILED: ${error instanceof Error ? error.message : String(error)}\n--- app output ---\n${app.output().slice(-4000)}`
    )
    return 1
  } finally {
    await app.stop()
    rmSync(temp, { recursive: true, force: true })
  }
}

// Run as a script (not when a test imports smokeInput / smokeEnv).
if (process.argv[1] && import.meta.filename === realpathSync(process.argv[1])) {
  process.exitCode = await main().catch((error: unknown) => {
    console.error(`packaged smoke FAILED: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  })
}
