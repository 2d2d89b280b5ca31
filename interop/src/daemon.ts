import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createClient } from '@libp2p/daemon-client'
import { createServer } from '@libp2p/daemon-server'
import { multiaddr } from '@multiformats/multiaddr'
import { createServer as createServerV2 } from 'daemon-server-v2'
import { multiaddr as multiaddrV2 } from 'multiaddr-v2'
import { createNode } from './impls.ts'
import type { Impl, NodeOptions } from './impls.ts'
import type { DaemonClient } from '@libp2p/daemon-client'
import type { ChildProcess } from 'node:child_process'

/** The daemon's control socket: loopback, any free port */
const CONTROL_ADDR = '/ip4/127.0.0.1/tcp/0'

export interface RunningDaemon {
  /** the control socket a daemon client connects to */
  controlAddr: string
  stop(): Promise<void>
}

/**
 * Wraps one node in a daemon server (the protocol the go daemon and `@libp2p/interop`
 * speak) and starts both. A libp2p 2.x node needs the 8.x server: the 9.x one drives
 * libp2p 3's stream API, which 2.x nodes do not have.
 */
export async function startDaemon (impl: Impl, options: NodeOptions): Promise<RunningDaemon> {
  const node = await createNode(impl, options)
  const server = impl === 'js2'
    ? createServerV2(multiaddrV2(CONTROL_ADDR), node)
    : createServer(multiaddr(CONTROL_ADDR), node)
  await server.start()
  return {
    controlAddr: server.getMultiaddr().toString(),
    stop: async () => { await server.stop() }
  }
}

export interface Daemon {
  client: DaemonClient
  stop(): Promise<void>
}

/** Messages between the test process and a daemon host process */
export type ToHost = { type: 'start', id: number, options: NodeOptions } | { type: 'stop', id: number }
export type FromHost = { type: 'ready', id: number, controlAddr: string } | { type: 'stopped', id: number } | { type: 'error', id: number, message: string }

// the host entry sits beside this file: daemon-main.ts when aegir runs the tests from source
// (node strips the types), daemon-main.js when they run from dist
const HOST_MAIN = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './daemon-main.ts' : './daemon-main.js', import.meta.url))

/** How long a daemon gets to start or stop */
const REQUEST_TIMEOUT_MS = 20_000

/**
 * One OS process per implementation hosts that implementation's daemons (see
 * daemon-main): the implementations never share a process, a module graph or an event
 * loop, and the tests reach each daemon only through the daemon protocol. A process per
 * daemon would be closer still, but loading libp2p and the Saorsa packages costs about
 * 2 s of CPU, and the stream suite alone spawns over 300 daemons.
 */
class DaemonHost {
  private readonly impl: Impl
  private readonly child: ChildProcess
  private nextId = 0
  private readonly pending = new Map<number, { resolve(message: FromHost): void, reject(err: Error): void }>()

  constructor (impl: Impl) {
    this.impl = impl
    this.child = fork(HOST_MAIN, [impl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.child.on('message', (message: FromHost) => {
      const waiter = this.pending.get(message.id)
      this.pending.delete(message.id)
      waiter?.resolve(message)
    })
    this.child.once('exit', code => {
      hosts.delete(impl)
      for (const waiter of this.pending.values()) {
        waiter.reject(new Error(`${impl} daemon host exited (${code})`))
      }
      this.pending.clear()
    })
    // idle hosts must not keep the test process alive: it exits when mocha is done, which
    // closes the IPC channel, which ends the hosts
    this.unref()
  }

  private unref (): void {
    this.child.unref()
    ;(this.child.channel as any)?.unref?.()
  }

  async request (message: ToHost): Promise<FromHost> {
    this.child.ref()
    ;(this.child.channel as any)?.ref?.()
    try {
      return await new Promise<FromHost>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(message.id)
          reject(new Error(`${this.impl} daemon host did not answer ${message.type} within ${REQUEST_TIMEOUT_MS} ms`))
        }, REQUEST_TIMEOUT_MS)
        this.pending.set(message.id, {
          resolve: m => { clearTimeout(timer); resolve(m) },
          reject: e => { clearTimeout(timer); reject(e) }
        })
        this.child.send(message)
      })
    } finally {
      if (this.pending.size === 0) {
        this.unref()
      }
    }
  }

  async spawn (options: NodeOptions): Promise<Daemon> {
    const id = this.nextId++
    const started = await this.request({ type: 'start', id, options })
    if (started.type !== 'ready') {
      throw new Error(`${this.impl} daemon failed to start: ${started.type === 'error' ? started.message : started.type}`)
    }
    return {
      client: createClient(multiaddr(started.controlAddr)),
      stop: async () => {
        const stopped = await this.request({ type: 'stop', id })
        if (stopped.type === 'error') {
          throw new Error(`${this.impl} daemon failed to stop: ${stopped.message}`)
        }
      }
    }
  }
}

const hosts = new Map<Impl, DaemonHost>()

/**
 * Starts a daemon for the given implementation in that implementation's host process.
 * Set INTEROP_INPROCESS=1 to run daemons inside the test process instead (easier to
 * debug; every implementation then shares one process).
 */
export async function spawnDaemon (impl: Impl, options: NodeOptions): Promise<Daemon> {
  if (process.env.INTEROP_INPROCESS === '1') {
    const running = await startDaemon(impl, options)
    return { client: createClient(multiaddr(running.controlAddr)), stop: running.stop }
  }
  let host = hosts.get(impl)
  if (host == null) {
    host = new DaemonHost(impl)
    hosts.set(impl, host)
  }
  return host.spawn(options)
}
