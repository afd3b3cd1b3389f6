/** Hands bytes to the browser as a download named `name` (Electron turns it into its save dialog). */
export function deliverDownload(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the URL; keep it a moment for slow browsers, then free the bytes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/**
 * Saves text the renderer made itself (nothing the core computes) as a file: the browser's download,
 * so both shells need no extra channel.
 */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  deliverDownload(new Blob([text], { type }), fileName)
}
