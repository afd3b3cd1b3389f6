/** The renderer build check lives with the browser shell, which needs it too; the specs use the same one. */
export { ensureRendererBuilt, RENDERER_OUT, ROOT } from '../../src/main/server/renderer-build'
