/**
 * Command-line options of the real-node benchmarks (`net.js`, `sweep.js`, `idle.js`). A typo
 * must not start a default run that takes minutes and measures something else: an unknown
 * option, a repeated one, a value option with no value, a number that is not one, or a name
 * outside its list is refused by name with exit code 2; `--help` prints the options and exits 0.
 */
export interface CliSpec {
  /** the benchmark's name in messages (`bench`, `bench:sweep`, …) */
  bench: string
  /** the options text `--help` prints */
  usage: string
  /** options that take a value, without `--` */
  values: readonly string[]
  /** options that take none */
  switches?: readonly string[]
}

export class CliArgs {
  private readonly argv: readonly string[]
  private readonly spec: CliSpec

  constructor (argv: readonly string[], spec: CliSpec) {
    this.argv = argv
    this.spec = spec
    this.check()
  }

  /** The raw value of `--name`, if given */
  value (name: string): string | undefined {
    const i = this.argv.indexOf(`--${name}`)
    return i >= 0 ? this.argv[i + 1] : undefined
  }

  /** Whether the switch `--name` was given */
  has (name: string): boolean {
    return this.argv.includes(`--${name}`)
  }

  /** A number ≥ `min` (and whole when `integer`), `fallback` when the option is absent */
  number (name: string, fallback: number, options: { min?: number, integer?: boolean } = {}): number {
    const min = options.min ?? Number.MIN_VALUE
    const raw = this.value(name)
    const value = raw == null ? fallback : Number(raw)
    if (!Number.isFinite(value) || value < min || (options.integer === true && !Number.isInteger(value))) {
      const what = `${options.integer === true ? 'a whole number' : 'a number'} ${min === Number.MIN_VALUE ? '> 0' : `≥ ${min}`}`
      this.fail(`--${name} must be ${what}, got ${String(raw)}`)
    }
    return value
  }

  /** A comma-separated list of names from `allowed` */
  list<T extends string> (name: string, fallback: string, allowed: readonly T[]): T[] {
    const values = (this.value(name) ?? fallback).split(',')
    for (const v of values) {
      if (!allowed.includes(v as T)) {
        this.fail(`--${name} takes ${allowed.join(', ')} (comma-separated); got ${v}`)
      }
    }
    return values as T[]
  }

  /** A comma-separated list of positive numbers */
  numbers (name: string, fallback: string): number[] {
    const raw = this.value(name) ?? fallback
    const values = raw.split(',').map(Number)
    if (values.some(v => !Number.isFinite(v) || v <= 0)) {
      this.fail(`--${name} takes positive numbers, comma-separated; got ${raw}`)
    }
    return values
  }

  /** One of `allowed` */
  choice<T extends string> (name: string, fallback: T, allowed: readonly T[]): T {
    const value = (this.value(name) ?? fallback) as T
    if (!allowed.includes(value)) {
      this.fail(`--${name} takes ${allowed.join(' or ')}; got ${value}`)
    }
    return value
  }

  fail (message: string): never {
    process.stderr.write(`${this.spec.bench}: ${message}\n`)
    process.exit(2)
  }

  private check (): void {
    const { values, switches = [], usage, bench } = this.spec
    if (this.argv.includes('--help') || this.argv.includes('-h')) {
      process.stdout.write(`${bench} options:\n${usage}\n`)
      process.exit(0)
    }
    const seen = new Set<string>()
    for (let i = 2; i < this.argv.length; i++) {
      const a = this.argv[i]
      if (!a.startsWith('--')) {
        this.fail(`unexpected argument ${JSON.stringify(a)} (options start with --; --help lists them)`)
      }
      const name = a.slice(2)
      // only the first of a repeated option would count: refuse the second rather than ignore it
      if (seen.has(name)) {
        this.fail(`${a} given twice`)
      }
      seen.add(name)
      if (switches.includes(name)) {
        continue
      }
      if (!values.includes(name)) {
        this.fail(`unknown option ${a} (--help lists them)`)
      }
      if (i + 1 >= this.argv.length || this.argv[i + 1].startsWith('--')) {
        this.fail(`${a} needs a value`)
      }
      i++
    }
  }
}
