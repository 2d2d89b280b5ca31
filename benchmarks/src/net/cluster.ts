import { fork } from 'node:child_process'
import path from 'node:path'
import type { FromWorker, ToWorker } from './messages.ts'
import type { ChildProcess } from 'node:child_process'

const live = new Set<ChildProcess>()
let hooked = false

/** Every worker dies with the parent: on exit, on Ctrl-C, on SIGTERM */
function hookExit (): void {
  if (hooked) {
    return
  }
  hooked = true
  const killAll = (): void => {
    for (const child of live) {
      child.kill('SIGKILL')
    }
  }
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killAll()
      process.stdout.write(`\n${signal}: stopped every node process\n`)
      process.exit(130)
    })
  }
}

interface Waiter {
  type: FromWorker['type']
  resolve(m: any): void
  reject(e: Error): void
}

/** One worker process, with request/response helpers over IPC */
export class WorkerHandle {
  readonly child: ChildProcess
  private readonly waiting: Waiter[] = []
  onMessage?: (message: FromWorker) => void

  constructor (readonly id: number) {
    hookExit()
    this.child = fork(path.join(import.meta.dirname, 'worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096', ...(process.env.BENCH_PROF != null ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])] })
    live.add(this.child)
    this.child.on('exit', (code, signal) => {
      live.delete(this.child)
      for (const w of this.waiting.splice(0)) {
        w.reject(new Error(`worker ${id} exited (${code ?? signal}) while waiting for ${w.type}`))
      }
    })
    this.child.on('message', (message: FromWorker) => {
      if (message.type === 'error') {
        const w = this.waiting.shift()
        if (w != null) {
          w.reject(new Error(`worker ${id}: ${message.message}`))
        } else {
          process.stderr.write(`worker ${id}: ${message.message}\n`)
        }
        return
      }
      const i = this.waiting.findIndex(w => w.type === message.type)
      if (i >= 0) {
        this.waiting.splice(i, 1)[0].resolve(message)
        return
      }
      this.onMessage?.(message)
    })
  }

  send (message: ToWorker): void {
    this.child.send(message)
  }

  async request<T extends FromWorker['type']> (message: ToWorker, reply: T, timeoutMs = 120_000): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`worker ${this.id}: no ${reply} after ${timeoutMs} ms`)) }, timeoutMs)
      this.waiting.push({ type: reply, resolve: (m) => { clearTimeout(timer); resolve(m) }, reject: (e) => { clearTimeout(timer); reject(e) } })
      this.send(message)
    })
  }

  kill (): void {
    this.child.kill('SIGKILL')
  }

  async stop (): Promise<void> {
    if (this.child.exitCode != null || this.child.signalCode != null) {
      return
    }
    const exited = new Promise<void>(resolve => this.child.once('exit', () => { resolve() }))
    this.send({ type: 'stop' })
    const timer = setTimeout(() => { this.kill() }, 8_000)
    await exited
    clearTimeout(timer)
  }
}

/**
 * Follows the workers' `progress` reports (each worker's first deliveries since measure-begin,
 * every 2 s once publishing is scheduled); returns their current sum
 */
export function deliveryProgress (workers: WorkerHandle[]): () => number {
  const progress = new Map<number, number>()
  workers.forEach(w => { w.onMessage = (m) => { if (m.type === 'progress') { progress.set(w.id, m.delivered) } } })
  return () => [...progress.values()].reduce((a, b) => a + b, 0)
}
