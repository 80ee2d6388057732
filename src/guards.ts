/**
 * Guards with reaching-set semantics (DESIGN §2): every region of a file is reached by a set
 * of arches, narrowed by each arch test around it. A literal is silent only when every
 * configured arch that reaches it is an arch the literal names.
 */
import { ARCH_NAMES, type ArchName } from './arch.js';

export interface GuardRegion {
  start: number;
  end: number;
  /** The arches, out of every known arch, that reach this region. */
  arches: ReadonlySet<ArchName>;
  /** True when the set was spelled out by the test (then-branch, case arm), not a complement. */
  positive: boolean;
  /** What the test asked: the host, or the build machine (wrong when cross-building). */
  subject: 'host' | 'build';
  /** The whole-file scope of an image only some arches build (an x86-only Dockerfile), not a test in it. */
  image?: boolean;
}

export interface Reach {
  /** Configured arches that reach the offset. */
  configured: ArchName[];
  /** Known arches that reach it. */
  all: ArchName[];
  /** True when at least one arch test encloses the offset. */
  guarded: boolean;
}

/** Regions and tests are looked up by bucket, so a query costs what overlaps it, not the file. */
const BUCKET = 1024;

class IntervalIndex<T extends { start: number; end: number }> {
  private readonly buckets = new Map<number, T[]>();

  add(item: T): void {
    for (let b = Math.floor(item.start / BUCKET); b <= Math.floor((item.end - 1) / BUCKET); b++) {
      const list = this.buckets.get(b);
      if (list) list.push(item);
      else this.buckets.set(b, [item]);
    }
  }

  /** True when nothing was added. */
  get empty(): boolean {
    return this.buckets.size === 0;
  }

  at(offset: number): T[] {
    return (this.buckets.get(Math.floor(offset / BUCKET)) ?? []).filter((r) => offset >= r.start && offset < r.end);
  }
}

export class GuardMap {
  private readonly regions = new IntervalIndex<GuardRegion>();
  private readonly tests = new IntervalIndex<{ start: number; end: number }>();

  constructor(readonly architectures: readonly ArchName[]) {}

  addRegion(region: GuardRegion): void {
    if (region.end > region.start) this.regions.add(region);
  }

  /** Marks text that is itself an arch test (`ifeq ($(DEB_HOST_ARCH),amd64)`): its literals are the guard. */
  addTest(start: number, end: number): void {
    if (end > start) this.tests.add({ start, end });
  }

  isTest(offset: number): boolean {
    return this.tests.at(offset).length > 0;
  }

  /** True when some arch test (or image scope) limits some part of the file: regionsAt is empty everywhere else. */
  get hasRegions(): boolean {
    return !this.regions.empty;
  }

  regionsAt(offset: number): GuardRegion[] {
    return this.regions.at(offset);
  }

  reachAt(offset: number): Reach {
    let all: ArchName[] = [...ARCH_NAMES];
    const around = this.regionsAt(offset);
    for (const r of around) all = all.filter((a) => r.arches.has(a));
    return { all, configured: this.architectures.filter((a) => all.includes(a)), guarded: around.length > 0 };
  }

  /**
   * True when a literal naming `literalArches` at `offset` is correctly guarded: no configured
   * arch reaches it, or every one that does is named by the literal, or an enclosing test
   * spelled out the literal's (non-configured) arch explicitly.
   */
  isGuardedFor(offset: number, literalArches: readonly ArchName[]): boolean {
    const reach = this.reachAt(offset);
    if (reach.configured.length === 0) return true;
    if (reach.configured.every((a) => literalArches.includes(a))) return true;
    const unconfigured = literalArches.every((a) => !this.architectures.includes(a));
    return (
      unconfigured &&
      this.regionsAt(offset).some((r) => r.positive && literalArches.every((a) => r.arches.has(a)))
    );
  }
}

/** All known arches except the given ones: the reaching set of an else-branch. */
export function complement(arches: Iterable<ArchName>): Set<ArchName> {
  const out = new Set<ArchName>(ARCH_NAMES);
  for (const a of arches) out.delete(a);
  return out;
}
