/**
 * What the two UART drivers share: opening the configured port through a transport factory
 * (serialport by default, replaceable in tests), watching it for an unexpected close, and
 * closing it.
 */
import { BridgeError } from '../../protocols/errors.ts';
import { openSerialPortTransport } from '../serial/serialport-transport.ts';
import type { SerialTransport, SerialTransportFactory } from '../serial/types.ts';
import { SensorBase } from './sensor-base.ts';
import type { SensorDeps, SerialSensorConfig } from './types.ts';

export abstract class SerialSensorBase extends SensorBase {
  protected transport: SerialTransport | null = null;

  private readonly transportFactory: SerialTransportFactory;

  constructor(
    protected readonly config: SerialSensorConfig,
    deps: SensorDeps = {},
  ) {
    super();
    if (typeof config.path !== 'string' || config.path === '') {
      throw new BridgeError('INVALID_PARAMS', `sensor driver ${config.driver} needs a serial port path`);
    }
    this.transportFactory = deps.serialTransportFactory ?? openSerialPortTransport;
  }

  protected async openPort(baudRate: number): Promise<SerialTransport> {
    const transport = this.transportFactory({ path: this.config.path, baudRate });
    try {
      await transport.open();
    } catch (e) {
      throw new BridgeError('NO_SENSOR', `cannot open serial port ${this.config.path}`, undefined, {
        cause: e,
      });
    }
    transport.on('closed', (unexpected) => {
      if (unexpected) this.markRemoved();
    });
    this.transport = transport;
    return transport;
  }

  protected async closeDevice(): Promise<void> {
    const transport = this.transport;
    this.transport = null;
    if (transport?.isOpen) await transport.close();
  }

  protected option<T>(name: string, fallback: T): T {
    const value = this.config.options?.[name];
    return value === undefined ? fallback : (value as T);
  }
}
