/**
 * Entry point of a daemon host process, `node daemon-main.js <impl>`, forked by
 * `spawnDaemon` with an IPC channel: it starts and stops daemons of one implementation on
 * request, and exits when the channel closes (which also covers a test process that dies).
 */
import { startDaemon } from './daemon.ts'
import { IMPLS } from './impls.ts'
import type { FromHost, RunningDaemon, ToHost } from './daemon.ts'
import type { Impl } from './impls.ts'

const impl = process.argv[2] as Impl
if (!IMPLS.includes(impl)) {
  throw new Error(`unknown implementation ${impl}`)
}

const daemons = new Map<number, RunningDaemon>()

function reply (message: FromHost): void {
  process.send?.(message)
}

process.on('message', (message: ToHost) => {
  void (async () => {
    try {
      if (message.type === 'start') {
        const daemon = await startDaemon(impl, message.options)
        daemons.set(message.id, daemon)
        reply({ type: 'ready', id: message.id, controlAddr: daemon.controlAddr })
      } else {
        const daemon = daemons.get(message.id)
        daemons.delete(message.id)
        await daemon?.stop()
        reply({ type: 'stopped', id: message.id })
      }
    } catch (err: any) {
      reply({ type: 'error', id: message.id, message: String(err?.stack ?? err) })
    }
  })()
})

process.once('disconnect', () => {
  void Promise.allSettled([...daemons.values()].map(async d => { await d.stop() }))
    .finally(() => process.exit(0))
})
