/**
 * The remaining views in both themes: Settings, the shortcuts dialog, and the dataset screen a
 * first start shows, which imports the four files from a folder and then lets the person in.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { launchWorkbench, type Workbench } from './harness'
import { datasetDir } from './dataset-dir'
import { api, screenshotBothThemes } from './helpers'

const open: Workbench[] = []
const temps: string[] = []

afterAll(async () => {
  for (const wb of open) await wb.close()
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

describe('views', () => {
  it('shows Settings with the machine facts and the shortcuts dialog', async () => {
    const wb = await launchWorkbench()
    open.push(wb)
    const { page } = wb
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('settings-view').waitFor()
    const info = await api(wb.core, 'app.info', {})
    const dataDirInput = page.getByTestId('settings-data-dir').locator('input')
    expect(await dataDirInput.inputValue()).toBe(info.dataDir)
    // The shared dataset is fixed (as ATELIER_DATA_DIR fixes it), so the field cannot be edited.
    expect(await dataDirInput.isDisabled()).toBe(true)
    await screenshotBothThemes(page, 'settings')
    await page.getByTestId('shortcuts-button').click()
    await page.getByTestId('shortcuts-dialog').waitFor()
    await screenshotBothThemes(page, 'shortcuts')
    await page.keyboard.press('Escape')
    await page.getByTestId('nav-experiments').click()
    await page.getByTestId('experiments-view').waitFor()
    await screenshotBothThemes(page, 'experiments-empty')
    expect(wb.pageErrors).toEqual([])
  })

  it('asks for the dataset on a first start and imports its four files', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atelier-empty-data-'))
    temps.push(dataDir)
    const wb = await launchWorkbench({ dataDir, openFolder: datasetDir() })
    open.push(wb)
    const { page } = wb
    await page.getByTestId('dataset-screen').waitFor()
    expect((await api(wb.core, 'dataset.status', {})).ready).toBe(false)
    await screenshotBothThemes(page, 'dataset-missing')
    if (wb.transport === 'ipc') {
      // The app: a native folder dialog (answered by the harness).
      await page.getByTestId('dataset-import').click()
    } else {
      // The browser shell: the four files through the file picker, verified the same way.
      const folder = datasetDir()
      const files = readdirSync(folder).filter((name) => /^(train|t10k)-(images-idx3|labels-idx1)-ubyte(\.gz)?$/.test(name))
      const chooser = page.waitForEvent('filechooser')
      await page.getByTestId('dataset-import').click()
      await (await chooser).setFiles(files.map((name) => join(folder, name)))
    }
    await page.getByTestId('dataset-verified').or(page.getByTestId('experiments-view')).first().waitFor({ timeout: 120_000 })
    const status = await api(wb.core, 'dataset.status', {})
    expect(status).toMatchObject({ ready: true, problem: null })
    expect(readdirSync(dataDir).length).toBeGreaterThanOrEqual(4)
    await screenshotBothThemes(page, 'dataset-imported')
    expect(wb.pageErrors).toEqual([])
  })
})
