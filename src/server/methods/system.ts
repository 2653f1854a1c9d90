import type { BridgeServices } from '../../services/types.ts';
import type { MethodDefinition } from '../method-registry.ts';
import { noParams } from './common-schemas.ts';

/** system.info and device.list: short, need no ticket, not cancellable. */
export function systemMethods(services: BridgeServices): MethodDefinition[] {
  return [
    {
      name: 'system.info',
      params: noParams,
      long: false,
      needsTicket: false,
      handler: () => services.systemInfo(),
    },
    {
      name: 'device.list',
      params: noParams,
      long: false,
      needsTicket: false,
      handler: () => services.deviceList(),
    },
  ];
}
