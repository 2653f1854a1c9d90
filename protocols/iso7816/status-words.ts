/** Status words of ISO/IEC 7816-4 (the ones smart cards and SAMs of this project use) and their names. */

export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  AUTH_FAILED: 0x6300,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  SM_DATA_INCORRECT: 0x6988,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6a86,
  WRONG_P1P2_OFFSET: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN: 0x6f00,
} as const;

const NAMES: Record<number, string> = {
  36864: 'ok',
  25218: 'end of file reached before Le bytes',
  25344: 'authentication failed',
  25985: 'memory failure',
  26368: 'wrong length',
  26754: 'secure messaging not supported',
  27010: 'security status not satisfied',
  27011: 'authentication method blocked',
  27012: 'reference data not usable',
  27013: 'conditions of use not satisfied',
  27014: 'command not allowed (no current EF)',
  27015: 'expected secure messaging data objects missing',
  27016: 'secure messaging data objects incorrect',
  27264: 'incorrect data field',
  27265: 'function not supported',
  27266: 'file or application not found',
  27270: 'incorrect P1 P2',
  27272: 'referenced data not found',
  27392: 'wrong parameters (offset outside the EF)',
  27904: 'instruction not supported',
  28160: 'class not supported',
  28416: 'no precise diagnosis',
};

/** A human name for logs; families (61xx, 6Cxx, 63Cx) get their parameter spelled out. */
export function swName(sw: number): string {
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  if (sw1 === 0x61) return `${sw2 === 0 ? 256 : sw2} more bytes available (GET RESPONSE)`;
  if (sw1 === 0x6c) return `wrong Le, exact length ${sw2 === 0 ? 256 : sw2}`;
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return `verification failed, ${sw2 & 0x0f} tries left`;
  return NAMES[sw] ?? 'unknown status';
}

export function swHex(sw: number): string {
  return sw.toString(16).padStart(4, '0').toUpperCase();
}

/** 9000 and the 62xx/63xx warnings carry data that is still usable; 63Cx and 6300 are failures. */
export function isSuccess(sw: number): boolean {
  return sw === 0x9000 || sw >> 8 === 0x62;
}
