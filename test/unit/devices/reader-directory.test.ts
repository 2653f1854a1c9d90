import { describe, expect, it } from 'vitest';
import { InProcessReaderStack } from '../../../simulator/pcsc/in-process-stack.ts';
import { ReaderDirectory } from '../../../src/devices/reader-directory.ts';

const device = (answer: number[]) => ({
  atr: Uint8Array.of(0x3b, 0x00),
  powerOn() {},
  reset() {},
  transmit: () => Uint8Array.from(answer),
});

describe('reader roles', () => {
  it('follows configured name patterns (substring and /regex/) without probing', async () => {
    const stack = new InProcessReaderStack(['ACS ACR1281 PICC 00 00', 'ACS ACR1281 SAM 00 01', 'Other 02']);
    let probes = 0;
    const dir = new ReaderDirectory(stack, {
      rfPattern: '/PICC/',
      samPattern: 'sam',
      probeSam: async () => {
        probes++;
        return false;
      },
    });
    await new Promise((r) => setTimeout(r, 0));
    await dir.settled();
    expect(dir.roleOf('ACS ACR1281 PICC 00 00')).toBe('rf');
    expect(dir.roleOf('ACS ACR1281 SAM 00 01')).toBe('sam');
    expect(dir.roleOf('Other 02')).toBe('unknown');
    expect(probes).toBe(0);
  });

  it('finds the SAM by probing; once known, every other reader is RF without a probe', async () => {
    const stack = new InProcessReaderStack(['Reader A', 'Reader B']);
    const probed: string[] = [];
    const dir = new ReaderDirectory(stack, {
      probeSam: async (name) => {
        probed.push(name);
        return name === 'Reader B';
      },
    });
    stack.insert('Reader B', device([0x90, 0x00]));
    await dir.settled();
    expect(dir.samReader()?.name).toBe('Reader B');
    stack.insert('Reader A', device([0x6d, 0x00]));
    await dir.settled();
    expect(dir.roleOf('Reader A')).toBe('rf');
    expect(probed).toEqual(['Reader B']);
  });

  it('re-probes a reader whose probe lost the card', async () => {
    const stack = new InProcessReaderStack(['R']);
    let fail = true;
    const dir = new ReaderDirectory(stack, {
      probeSam: async () => {
        if (fail) {
          fail = false;
          throw new Error('card left');
        }
        return true;
      },
    });
    stack.insert('R', device([0x90, 0x00]));
    await dir.settled();
    expect(dir.roleOf('R')).toBe('sam');
  });
});
