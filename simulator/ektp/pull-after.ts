/**
 * A card pulled off the reader after N APDUs, as a transport fault: from the (N+1)th command on the
 * device answers nothing (0 bytes), which vpcd and pcsclite report as removal (pcsc-simulation.md).
 */
import type { SimulatedDevice } from './device.ts';

export function withPullAfter(device: SimulatedDevice, n: number, onPull?: () => void): SimulatedDevice {
  let sent = 0;
  let pulled = false;
  return {
    get atr() {
      return device.atr;
    },
    powerOn: () => device.powerOn(),
    reset: () => device.reset(),
    transmit(apdu: Uint8Array): Uint8Array {
      if (pulled) return new Uint8Array(0);
      if (sent >= n) {
        pulled = true;
        onPull?.();
        return new Uint8Array(0);
      }
      sent++;
      return device.transmit(apdu);
    },
  };
}
