import type { Connection, Libp2p } from '@libp2p/interface'

interface QuicStats { udpTxBytes: number | bigint, udpRxBytes: number | bigint }
interface QuicNative { stats(): QuicStats }
interface Counted { sent: number, received: number }

/**
 * Bytes a node puts on and takes off the wire, read from the transport itself:
 * the TCP socket's counters (everything above TCP: multistream, noise, yamux),
 * or the QUIC connection's UDP payload counters (QUIC headers, ACKs,
 * retransmissions included). These are runtime fields outside libp2p's typed
 * interfaces (checked with libp2p 3.3.11, @libp2p/tcp 11, libp2p-quic 2.1.1);
 * an unknown connection type is counted in `unsupported`.
 */
export class WireCounter {
  unsupported = 0
  private readonly sockets = new Set<{ bytesWritten: number, bytesRead: number }>()
  private readonly quicLive = new Set<QuicNative>()
  private readonly quicDone: Counted = { sent: 0, received: 0 }
  private readonly last = new WeakMap<QuicNative, Counted>()

  attach (node: Libp2p<any>): void {
    node.addEventListener('connection:open', (evt: CustomEvent<Connection>) => {
      const conn = evt.detail as any
      const socket = conn.maConn?.socket
      if (socket != null && typeof socket.bytesWritten === 'number') {
        this.sockets.add(socket)
        return
      }
      const quic: QuicNative | undefined = conn.muxer?.init?.connection
      if (quic != null && typeof quic.stats === 'function') {
        this.quicLive.add(quic)
        this.readQuic(quic)
        conn.addEventListener('close', () => {
          const v = this.readQuic(quic)
          this.quicLive.delete(quic)
          this.quicDone.sent += v.sent
          this.quicDone.received += v.received
        }, { once: true })
        return
      }
      this.unsupported++
    })
  }

  read (): Counted {
    let { sent, received } = this.quicDone
    for (const s of this.sockets) {
      // still readable after the socket closed
      sent += s.bytesWritten
      received += s.bytesRead
    }
    for (const q of this.quicLive) {
      const v = this.readQuic(q)
      sent += v.sent
      received += v.received
    }
    return { sent, received }
  }

  private readQuic (q: QuicNative): Counted {
    try {
      const s = q.stats()
      const v = { sent: Number(s.udpTxBytes), received: Number(s.udpRxBytes) }
      this.last.set(q, v)
      return v
    } catch {
      return this.last.get(q) ?? { sent: 0, received: 0 }
    }
  }
}
