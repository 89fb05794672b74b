// Photos kept on the phone until they can be sent: as data: URLs (base64), which the server's JSON
// routes accept and IndexedDB stores as plain strings.
export function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`))
    reader.readAsDataURL(file)
  })
}

export async function photosForQueue(files: readonly File[]) {
  return Promise.all(files.map(async (f) => ({ data: await readAsDataUrl(f), contentType: f.type, filename: f.name })))
}
