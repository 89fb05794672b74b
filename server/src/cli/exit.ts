// Ending the CLI without losing output. On POSIX, writes to a pipe are asynchronous: process.exit() right
// after printing keeps only what fits in the pipe's buffer (64 KiB on Linux), so `coverage --json | jq`
// used to read a cut document. Every command ends here instead, once stdout and stderr have drained.

/** Resolves when everything written to the stream so far has been handed to the OS (or it failed). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve()
  // writes complete in order, so the callback of an empty write comes after every earlier one
  return new Promise((resolve) => stream.write('', () => resolve()))
}

// A reader that goes away early (`| head`) is not an error of the command.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
}

export async function exitWhenFlushed(code: number): Promise<void> {
  process.exitCode = code
  await Promise.all([drained(process.stdout), drained(process.stderr)])
  // exit explicitly: a library's stray timer must not keep a finished command alive
  process.exit(code)
}
