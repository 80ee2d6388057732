import { describe, expect, it } from 'vitest';
import { v8Flags } from '../src/cli/v8-flags.js';

describe('V8 flags of the CLI', () => {
  it('sets every flag on the V8 majors they are known on', () => {
    for (const v of ['11.3.244.8-node.19', '12.4.254.21-node.21']) {
      expect(v8Flags(v, [])).toEqual(['--interrupt-budget=300000', '--max-inlined-bytecode-size-cumulative=460', '--heap-growing-percent=75']);
    }
  });

  it('sets nothing on another V8 (a flag it does not know is an error message on every run)', () => {
    expect(v8Flags('13.6.233.10-node.24', [])).toEqual([]);
    expect(v8Flags('10.2.154.26-node.26', [])).toEqual([]);
  });

  it('never overrides a value the user gave, in either spelling', () => {
    expect(v8Flags('11.3.244.8', ['--interrupt-budget=1000'])).toEqual(['--max-inlined-bytecode-size-cumulative=460', '--heap-growing-percent=75']);
    expect(v8Flags('11.3.244.8', ['--max_inlined_bytecode_size_cumulative=10', '--interrupt_budget=5', '--heap-growing-percent=20'])).toEqual([]);
    expect(v8Flags('11.3.244.8', ['--max-old-space-size=100', ''])).toHaveLength(3);
  });
});
