import { expect } from 'chai';
import { instructionSetFromCpuinfo } from '../../../../inference-lab/src/runtime/index.js';

describe('runtime: instructionSetFromCpuinfo', () => {
  it('names the widest x86 vector extension listed', () => {
    const cpuinfo =
      'processor\t: 0\nflags\t\t: fpu sse4_1 avx avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu sse4_1 avx avx2 fma\n';
    expect(instructionSetFromCpuinfo(cpuinfo)).to.equal('avx2');
    expect(instructionSetFromCpuinfo('flags : sse4_1 avx512f avx2')).to.equal('avx512f');
    expect(instructionSetFromCpuinfo('flags : sse2 sse4_1')).to.equal('sse4.1');
  });

  it('names neon on arm64 and baseline when nothing is listed', () => {
    expect(instructionSetFromCpuinfo('Features\t: fp asimd evtstrm aes')).to.equal('neon');
    expect(instructionSetFromCpuinfo('')).to.equal('baseline');
  });
});
