import { join } from 'node:path';
import { PcscLiteStack } from '../../drivers/pcsc/pcsclite-stack.ts';
import type { CardReaderStack } from '../../drivers/pcsc/types.ts';
import { SimulatedWorld } from '../../simulator/world.ts';
import type { SimulatedFingers } from '../../simulator/world-fingers.ts';
import { auditKeyFromDeviceKey, auditLogPath, openAuditLog, signAndRecord } from '../audit/index.ts';
import { MatchPool } from '../biometrics/pool/index.ts';
import { configuredImpostorTails } from '../biometrics/verify-policy/tails-file.ts';
import type { ConfigFileStatus } from '../config/config-file-status.ts';
import type { Config, TicketKey } from '../config/types.ts';
import { GALLERY_DIR, GalleryStore } from '../gallery/gallery-store.ts';
import { loadOrCreateDeviceKey } from '../keys/device-key.ts';
import type { Logger } from '../log/index.ts';
import { removeStaleTempFiles } from '../receipts/atomic-file.ts';
import { createReceiptSigner, RECEIPT_CHAIN_FILE } from '../receipts/index.ts';
import { ensureDevBackend } from '../security/dev-backend.ts';
import { devTicketRoute } from '../security/dev-ticket-route.ts';
import { NONCE_JOURNAL_FILE } from '../security/nonce-journal.ts';
import { importTicketKeys } from '../security/ticket-keys.ts';
import { createTicketVerifier } from '../security/tickets.ts';
import { createServer, originAllowlist } from '../server/index.ts';
import { DaemonServices } from '../services/bridge-services.ts';
import { createFingerSide } from '../services/finger/finger-side.ts';
import { VerifyLockout } from '../services/finger/verify-lockout.ts';
import { VERSION } from '../version.ts';
import { createCardSide } from './card-side.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { simControlRoute } from './sim-control-route.ts';

export interface DaemonOptions {
  config: Config;
  logger: Logger;
  /** the in-process simulator replaces pcscd, readers, SAM and card */
  simulate?: boolean;
  /**
   * what the configuration file on disk says now (src/config/config-file-status.ts), reported in
   * /health; the daemon itself never reloads it
   */
  configStatus?: () => ConfigFileStatus;
}

export interface Daemon {
  port: number;
  services: DaemonServices;
  world?: SimulatedWorld;
  /** simulator controls: which finger is on the sensor, which card is tapped */
  fingers?: SimulatedFingers;
  close(): Promise<void>;
}

/** Builds and starts everything `ektp-bridge serve` runs; close() stops it in reverse order. */
export async function startDaemon({
  config,
  logger,
  simulate,
  configStatus,
}: DaemonOptions): Promise<Daemon> {
  // Before anything touches dataDir: a second daemon on it (the installed service is running, on
  // this port or another) must not write its checkpoints into that one's audit log (data-dir-lock.ts).
  // A taken port with a data folder of its own ends at listen(), as BUSY naming the address.
  const unlock = lockDataDir(config.dataDir);
  try {
    const daemon = await startLocked({ config, logger, simulate, configStatus });
    return {
      ...daemon,
      close: async () => {
        try {
          await daemon.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}

async function startLocked({ config, logger, simulate, configStatus }: DaemonOptions): Promise<Daemon> {
  const deviceKey = await loadOrCreateDeviceKey(config.dataDir);
  // what a kill -9 in the middle of an atomic replace left (receipt-chain.json.<pid>.tmp)
  const stale = removeStaleTempFiles(config.dataDir);
  if (stale.length > 0) logger.info({ files: stale }, 'removed temporary files left by a crash');
  // First, so its workers load the matcher while the main thread builds the simulated world.
  const pool = new MatchPool({
    threads: config.match.threads || undefined,
    maxQueue: config.match.maxQueue,
    preload: true,
  });
  // Compile extraction and matching on every worker now, in the background, so the first
  // finger.verify is as fast as the next (bench: test/bench/match/first-verify.ts).
  void pool.warmUp().catch((e) => logger.warn({ err: e }, 'matcher warm-up failed'));
  let stack: CardReaderStack;
  let world: SimulatedWorld | undefined;
  if (simulate) {
    // The card goes on the reader once its holder's synthetic fingers are prepared (createFingerSide).
    world = new SimulatedWorld({
      ...(config.simulate as { seed?: number; residents?: number }),
      noCard: true,
    });
    stack = world.stack;
  } else {
    const log = logger.child({ component: 'pcsc' });
    stack = new PcscLiteStack({ log: (level, msg) => log[level](msg) });
  }
  // A demo runs with tickets checked, against a local development backend key: never by turning
  // the check off (docs/security.md).
  const devBackend = simulate ? await ensureDevBackend(config.dataDir) : undefined;
  if (devBackend) {
    config.security.ticketKeys = [...config.security.ticketKeys, devBackend.publicJwk as TicketKey];
  }
  const authorize = createTicketVerifier({
    keys: config.security.ticketKeys,
    deviceId: deviceKey.deviceId,
    requireTickets: config.security.requireTickets,
    nonceFile: join(config.dataDir, NONCE_JOURNAL_FILE),
  });
  const signer = createReceiptSigner({ deviceKey, chainFile: join(config.dataDir, RECEIPT_CHAIN_FILE) });
  const audit = await openAuditLog(auditLogPath(config.dataDir), {
    key: auditKeyFromDeviceKey(deviceKey),
    receiptHead: () => signer.head(),
    receiptCount: () => signer.count(),
    rotate: {
      maxBytes: config.audit.rotateBytes,
      maxAgeMs: config.audit.rotateDays * 86_400_000,
    },
    checkpointEvery: config.audit.checkpointEvery,
  });
  const card = createCardSide(stack, config, logger, world ? () => world.samKey() : undefined);
  const simOpts = config.simulate as { noCard?: boolean; finger?: 'genuine' | 'other' | 'poor' } | undefined;
  const finger = await createFingerSide({
    config,
    pool,
    logger,
    world,
    tapFirstCard: !simOpts?.noCard,
    // a demo with no control surface captures the card holder's finger
    simulated: { present: simOpts?.finger ?? 'genuine' },
  });
  const lockout = new VerifyLockout({
    dataDir: config.dataDir,
    failures: config.verify.lockoutFailures,
    windowSeconds: config.verify.lockoutSeconds,
    onSaveError: (e) => logger.error({ err: e }, 'verify lockout state not saved; kept in memory'),
  });
  const galleryLog = logger.child({ component: 'gallery' });
  const galleries = new GalleryStore({
    dir: join(config.dataDir, GALLERY_DIR),
    keys: importTicketKeys(config.gallery.keys, 'gallery.keys'),
    deviceId: deviceKey.deviceId,
    limits: config.gallery,
    pool,
    log: (level, msg, extra) => galleryLog[level](extra ?? {}, msg),
  });
  await galleries.start();
  const services = new DaemonServices({
    version: VERSION,
    deviceKey,
    ...card,
    finger,
    pool,
    record: (input) => signAndRecord(signer, audit, input),
    // a failed verify's entry: its own error goes to the caller, so a failed write is only logged
    audit: (entry) =>
      audit
        .append(entry)
        .catch((e) => logger.error({ err: e }, 'audit entry of a failed finger.verify not written')),
    idleWipeMs: config.card.idleWipeMs,
    verifyPolicy: {
      ...config.verify,
      ...config.finger,
      tails: configuredImpostorTails(config.verify),
    },
    lockout,
    galleries,
    configStatus,
  });
  const server = createServer({ config, services, logger, authorize });
  let port = config.port;
  if (devBackend) {
    const allowOrigin = (o: string) =>
      originAllowlist(config.security.allowedOrigins, config.security.allowSelfOrigin, port).has(
        o.toLowerCase(),
      );
    await server.app.register(
      devTicketRoute({ backend: devBackend, deviceId: deviceKey.deviceId, allowOrigin }),
    );
    if (world && finger.fingers) {
      await server.app.register(simControlRoute({ world, fingers: finger.fingers, lockout, allowOrigin }));
    }
  }
  const close = async () => {
    await server.close();
    galleries.close();
    services.close();
    await finger.close();
    await pool.close();
    await card.sam.close();
    await stack.close();
    await audit.close();
  };
  try {
    port = (await server.listen()).port;
  } catch (e) {
    // the port is taken (BUSY) or not ours to bind: give back what was opened, then say so
    await close().catch((err) => logger.warn({ err }, 'error while closing after a failed start'));
    throw e;
  }
  logger.info({ port, simulate: !!simulate, deviceId: deviceKey.deviceId }, 'ektp-bridge listening');
  void finger.warmUp().catch((e) => logger.warn({ err: e }, 'simulated fingers warm-up failed'));
  return { port, services, world, fingers: finger.fingers, close };
}
