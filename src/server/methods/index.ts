import type { BridgeServices } from '../../services/types.ts';
import { MethodRegistry } from '../method-registry.ts';
import { cardMethods } from './card.ts';
import { fingerMethods } from './finger.ts';
import { operationMethods } from './operation.ts';
import { systemMethods } from './system.ts';

/** Every method group of API v1, registered in one place. */
export function createMethodRegistry(services: BridgeServices): MethodRegistry {
  return new MethodRegistry()
    .register(systemMethods(services))
    .register(cardMethods(services))
    .register(fingerMethods(services))
    .register(operationMethods());
}
