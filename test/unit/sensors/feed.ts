/**
 * The three ways serial and USB data really arrives (h11's test pattern): whole, one byte at a
 * time, and with the first bytes of the next message trailing.
 */
export interface Feeding {
  name: string;
  chunks: Uint8Array[];
  /** bytes appended after the message under test (must stay buffered, not be parsed) */
  trailing: Uint8Array;
}

export function feedings(message: Uint8Array, trailing: Uint8Array): Feeding[] {
  const withTrail = new Uint8Array(message.length + trailing.length);
  withTrail.set(message);
  withTrail.set(trailing, message.length);
  return [
    { name: 'whole', chunks: [message], trailing: new Uint8Array(0) },
    {
      name: 'byte by byte',
      chunks: Array.from(message, (b) => Uint8Array.of(b)),
      trailing: new Uint8Array(0),
    },
    { name: 'with trailing bytes', chunks: [withTrail], trailing },
    {
      name: 'split at odd places, trailing',
      chunks: [withTrail.subarray(0, 3), withTrail.subarray(3, 7), withTrail.subarray(7)],
      trailing,
    },
  ];
}
