/**
 * Saves text the renderer made itself (nothing the core computes) as a file: the browser's download,
 * which Electron turns into its save dialog, so both shells need no extra channel.
 */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the URL; keep it a moment for slow browsers, then free the text.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
