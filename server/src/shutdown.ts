// Graceful shutdown on SIGTERM / SIGINT: stop accepting connections at once, let the requests in
// flight finish (for at most the grace period, then cut what is left), stop background timers, close
// the app and the database, exit 0. A second signal exits at once.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { Database } from './db/database.js'

export interface ShutdownOptions {
  app: FastifyInstance
  database: Database
  graceSeconds: number
  /** stops background work (timers, the webhook delivery loop) before the database closes */
  stopBackground: () => void | Promise<void>
  /** after the database has closed (the embedded data folder's lock) */
  release?: () => Promise<void> | void
  say: (line: string) => void
}

export function installGracefulShutdown(o: ShutdownOptions): void {
  const server = o.app.server
  let closing = false
  let inFlight = 0
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight++
    response.once('close', () => {
      inFlight--
      // Node keeps a keep-alive connection open after its last response even once the server is
      // closing; close it as soon as it falls idle so the server can finish
      if (closing) setImmediate(() => server.closeIdleConnections())
    })
  })

  const shutdown = async (signal: string) => {
    if (closing) {
      o.say(`${signal} again: exiting now`)
      process.exit(1)
    }
    closing = true
    // server.close stops listening synchronously (new connections are refused from here on) and calls
    // back once every open connection has ended
    const drained = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    o.say(`${signal}: no longer accepting requests; waiting for ${inFlight} in flight (at most ${o.graceSeconds} s)`)
    const background = Promise.resolve(o.stopBackground()).catch((error: unknown) =>
      console.error('everyinch: error while stopping background work:', error),
    )
    const cut = setTimeout(() => {
      o.say(`grace period over: closing ${inFlight} unfinished request(s)`)
      server.closeAllConnections()
    }, o.graceSeconds * 1000)
    await drained
    clearTimeout(cut)
    await background
    try {
      // plugins' onClose hooks; Fastify's own server.close finds the server already closed
      await o.app.close()
      // a request cut at the end of the grace period may still hold a connection (e.g. waiting on a
      // lock); the database gets the same grace (at least 5 s) to close before the process leaves without it
      const closed = await Promise.race([
        o.database.close().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.max(o.graceSeconds, 5) * 1000).unref()),
      ])
      o.say(closed ? 'closed cleanly' : 'the database did not close in time; exiting without it')
      // only once the database is closed may another process open the folder
      if (closed) await o.release?.()
      process.exit(0)
    } catch (error) {
      console.error('everyinch: error while closing:', error)
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}
