import { expect } from 'aegir/chai'
import { adjustLocalHealth, scaledTimeout, suspicionTimeout } from '../src/core/suspicion.ts'

describe('Lifeguard formulas', () => {
  it('suspicion timeout: max with no confirmations, min at K, logarithmic in between', () => {
    // [confirmations, expected] → timeout for min 300, max 3000 (values from the formula, floor)
    const table: Array<[number, number, number]> = [
      [0, 5, 3000],
      [1, 5, 1955], // 3000 − 2700·log2/log6
      [2, 5, 1344], // 3000 − 2700·log3/log6
      [3, 5, 910],
      [4, 5, 574],
      [5, 5, 300],
      [9, 5, 300],
      [1, 0, 3000]
    ]
    for (const [c, k, expected] of table) {
      expect(suspicionTimeout(c, k, 300, 3000), `C=${c} K=${k}`).to.equal(expected)
    }
  })

  it('local health scales timeouts by (LHM + 1) and stays within [0, max]', () => {
    expect(scaledTimeout(200, 0)).to.equal(200)
    expect(scaledTimeout(200, 3)).to.equal(800)
    expect(adjustLocalHealth(7, 5, 8)).to.equal(8)
    expect(adjustLocalHealth(0, -1, 8)).to.equal(0)
    expect(adjustLocalHealth(3, -1, 8)).to.equal(2)
  })
})
