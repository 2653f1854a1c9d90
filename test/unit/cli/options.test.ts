import { describe, expect, it } from 'vitest';
import { parseIntegerOption, parseTimeoutMs } from '../../../src/cli/options.ts';

describe('CLI numeric flags', () => {
  it('takes whole milliseconds within the API timeoutMs bounds', () => {
    expect(parseTimeoutMs('15000')).toBe(15000);
    expect(parseTimeoutMs('1')).toBe(1);
    expect(parseTimeoutMs('600000')).toBe(600000);
    expect(parseTimeoutMs('0', { allowZero: true })).toBe(0);
  });

  it.each(['abc', '-5', '', '1.5', '1e3', 'Infinity', '600001', '0x10', '12ms'])(
    'refuses --timeout %j with INVALID_PARAMS naming the flag',
    (value) => {
      expect(() => parseTimeoutMs(value)).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMS', message: expect.stringContaining('--timeout') }),
      );
      expect(() => parseTimeoutMs(value, { allowZero: true })).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMS' }),
      );
    },
  );

  it('refuses 0 unless the flag allows it', () => {
    expect(() => parseTimeoutMs('0')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
  });

  it('checks an integer flag against its range', () => {
    expect(parseIntegerOption('3', '--max-attempts', 1, 10)).toBe(3);
    for (const bad of ['0', '11', 'two', '2.5'])
      expect(() => parseIntegerOption(bad, '--max-attempts', 1, 10)).toThrow(
        /--max-attempts must be a whole number from 1 to 10/,
      );
  });
});
