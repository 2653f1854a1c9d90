/** Every region residents come from, in a fixed order (a resident's seed picks by index). */
import type { Region } from './places.ts';
import { JAVA_REGIONS } from './regions-java.ts';
import { OUTER_REGIONS } from './regions-outer.ts';

export const REGIONS: readonly Region[] = [...JAVA_REGIONS, ...OUTER_REGIONS];
