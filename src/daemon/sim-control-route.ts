import type { FastifyInstance } from 'fastify';
import { BridgeError, toBridgeError } from '../../protocols/errors.ts';
import type { SimulatedWorld } from '../../simulator/world.ts';
import type { SimulatedFingers } from '../../simulator/world-fingers.ts';
import { devRouteGuard } from '../security/dev-route-guard.ts';
import type { VerifyLockout } from '../services/finger/verify-lockout.ts';

const bodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { enum: ['tap', 'pull', 'finger', 'unplug-sensor', 'plug-sensor', 'clear-lockout'] },
    resident: { type: 'integer', minimum: 0, maximum: 999 },
    fault: { enum: ['none', 'tampered', 'other-master-key'] },
    present: { enum: ['genuine', 'other', 'poor', 'none'] },
  },
} as const;

interface Body {
  action: 'tap' | 'pull' | 'finger' | 'unplug-sensor' | 'plug-sensor' | 'clear-lockout';
  resident?: number;
  fault?: 'none' | 'tampered' | 'other-master-key';
  present?: 'genuine' | 'other' | 'poor' | 'none';
}

/**
 * POST /dev/simulator (simulate mode only): the demo's hands — tap a resident's card (optionally a
 * tampered one or one keyed from another master key), pull it, put the holder's or someone else's
 * finger on the sensor, unplug the sensor, and clear the verify lockout (a demo that shows "someone
 * else's finger" a few times would otherwise lock its card for lockoutSeconds, across restarts).
 * Guarded like /dev/ticket.
 */
export function simControlRoute(opts: {
  world: SimulatedWorld;
  fingers: SimulatedFingers;
  lockout?: Pick<VerifyLockout, 'clearAll'>;
  allowOrigin(o: string): boolean;
}) {
  return async function simControl(app: FastifyInstance): Promise<void> {
    app.post<{ Body: Body }>(
      '/dev/simulator',
      { schema: { body: bodySchema }, onRequest: devRouteGuard(opts.allowOrigin) },
      async (req, reply) => {
        const b = req.body;
        const { fingers, world } = opts;
        try {
          if (b.action === 'tap') {
            const i = b.resident ?? 0;
            if (i >= world.residents.length) throw new BridgeError('INVALID_PARAMS', `no resident ${i}`);
            const faults =
              b.fault === 'tampered'
                ? { tamperedBiodata: true }
                : b.fault === 'other-master-key'
                  ? { keyedFromOtherMasterKey: true }
                  : undefined;
            await fingers.tapCard(i, { faults });
          } else if (b.action === 'pull') world.pullCard();
          else if (b.action === 'clear-lockout') await opts.lockout?.clearAll();
          else if (b.action === 'finger') {
            const p = b.present ?? 'genuine';
            if (p === 'genuine') fingers.control.genuineFinger();
            else if (p === 'other') fingers.control.otherFinger();
            else if (p === 'poor') fingers.control.poorQuality();
            else fingers.control.noFinger();
          } else if (b.action === 'unplug-sensor') fingers.control.unplug();
          else fingers.control.plugIn();
        } catch (e) {
          const err = toBridgeError(e);
          return reply.code(400).send({ reason: err.code, message: err.message });
        }
        return reply.header('cache-control', 'no-store').send({
          ok: true,
          residents: world.residents.length,
          holder: fingers.holder,
        });
      },
    );
  };
}
