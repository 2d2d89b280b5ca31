import { expect } from 'aegir/chai'
import { MembershipStats } from '../src/stats.ts'

/** A minimal libp2p Metrics stand-in that records what is registered and incremented */
function fakeMetrics (): { metrics: any, groups: Map<string, Record<string, number>>, gauges: Map<string, number> } {
  const groups = new Map<string, Record<string, number>>()
  const gauges = new Map<string, number>()
  const metrics = {
    registerCounterGroup: (name: string) => {
      const values: Record<string, number> = {}
      groups.set(name, values)
      return { increment: (v: Record<string, number>) => { for (const [k, n] of Object.entries(v)) { values[k] = (values[k] ?? 0) + n } }, reset: () => {} }
    },
    registerMetric: (name: string) => ({ update: (v: number) => { gauges.set(name, v) }, increment: () => {}, decrement: () => {}, reset: () => {}, timer: () => () => {} })
  }
  return { metrics, groups, gauges }
}

describe('MembershipStats', () => {
  it('counts messages and bytes by type, drops by reason and events, into libp2p metrics too', () => {
    const { metrics, groups, gauges } = fakeMetrics()
    const stats = new MembershipStats(metrics)
    stats.sent({ proto: 'swim', type: 'ping', seq: 1, updates: [] }, 12)
    stats.sent({ proto: 'swim', type: 'ping', seq: 2, updates: [] }, 14)
    stats.received({ proto: 'hpv', type: 'join' }, 50)
    stats.drop('malformed')
    stats.count('deaths')
    stats.views(9, 40)
    expect(stats.messagesOut.ping).to.equal(2)
    expect(stats.bytesOut.ping).to.equal(26)
    expect(stats.messagesIn.join).to.equal(1)
    expect(stats.drops.malformed).to.equal(1)
    expect(stats.events.deaths).to.equal(1)
    expect(groups.get('saorsa_gossip_membership_messages_out_total')).to.deep.equal({ ping: 2 })
    expect(groups.get('saorsa_gossip_membership_bytes_out_total')).to.deep.equal({ ping: 26 })
    expect(groups.get('saorsa_gossip_membership_drops_total')).to.deep.equal({ malformed: 1 })
    expect(groups.get('saorsa_gossip_membership_events_total')).to.deep.equal({ deaths: 1 })
    expect(gauges.get('saorsa_gossip_membership_active_view_size')).to.equal(9)
    expect(gauges.get('saorsa_gossip_membership_passive_view_size')).to.equal(40)
  })

  it('counts a refused NEIGHBOR_REPLY as neighbor-refused, apart from acceptances', () => {
    const { metrics, groups } = fakeMetrics()
    const stats = new MembershipStats(metrics)
    stats.sent({ proto: 'hpv', type: 'neighbor-reply', accepted: true }, 3)
    stats.sent({ proto: 'hpv', type: 'neighbor-reply', accepted: false }, 3)
    stats.received({ proto: 'hpv', type: 'neighbor-reply', accepted: false }, 3)
    expect(stats.messagesOut).to.deep.equal({ 'neighbor-reply': 1, 'neighbor-refused': 1 })
    expect(stats.messagesIn).to.deep.equal({ 'neighbor-refused': 1 })
    expect(groups.get('saorsa_gossip_membership_messages_out_total')).to.deep.equal({ 'neighbor-reply': 1, 'neighbor-refused': 1 })
  })
})
