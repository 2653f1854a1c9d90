import { accessSync, constants, type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { discoverUsbSensors } from '../../../drivers/fingerprint/registry.ts';
import { BridgeError, type ErrorCode, toBridgeError } from '../../../protocols/errors.ts';
import { configuredImpostorTails } from '../../biometrics/verify-policy/tails-file.ts';
import { checkInstalledPolicies } from '../../browser-policy/check.ts';
import {
  type Account,
  accessProblem,
  chownCommand,
  ownerText,
  serviceAccount,
} from '../../config/accounts.ts';
import { loadConfigDetailed, loadSamSecrets } from '../../config/index.ts';
import type { Config } from '../../config/types.ts';
import { checkedDriverConfigs } from '../../devices/sensor-ids.ts';
import { withDirectCardSide } from '../direct-card.ts';
import { printJson, printLines } from '../output.ts';

export interface Check {
  check: string;
  ok: boolean;
  detail: string;
  /** the error code a failure maps to (cli.md: non-zero exit with a code from the vocabulary) */
  code?: ErrorCode;
}

/**
 * `ektp-bridge doctor`: what a kiosk installer needs to know, without side effects on the SAM.
 * OPEN SAM is only tried with --open-sam, because a wrong PCID/CONF costs one of the SAM's three
 * tries; while the daemon runs, the SAM state comes from its /health instead.
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the installation: config, secrets file, browser policy, data dir, pcscd, readers, SAM, sensors, port',
    )
    .option('--config <file>', 'configuration file (default /etc/ektp-bridge/config.json)')
    .option('--json', 'one JSON document on stdout: { ok, checks: [{ check, ok, detail, code? }] }')
    .option('--open-sam', 'also send OPEN SAM when no daemon runs (a wrong PCID/CONF costs one of 3 tries!)')
    .action(async (opts: { config?: string; json?: boolean; openSam?: boolean }) => {
      const checks: Check[] = [];
      const add = (check: string, fn: () => string | Promise<string>, code?: ErrorCode) =>
        Promise.resolve()
          .then(fn)
          .then(
            (detail) => void checks.push({ check, ok: true, detail }),
            (e) =>
              void checks.push({
                check,
                ok: false,
                detail: toBridgeError(e).message,
                code: code ?? toBridgeError(e).code,
              }),
          );
      let config: Config | undefined;
      await add(
        'config',
        () => {
          const loaded = loadConfigDetailed({ path: opts.config, env: process.env });
          config = loaded.config;
          const unknown = loaded.unknownEnv.length ? `; unknown env: ${loaded.unknownEnv.join(', ')}` : '';
          // impostor tails (or a target) the daemon would refuse at start fail here too
          const tails = configuredImpostorTails(config.verify);
          checkedDriverConfigs(config.sensors); // an unknown driver stops serve: it fails here too
          const measured = config.verify.impostorTails
            ? `; impostor tails ${config.verify.impostorTails} (measured ${tails.measured})`
            : '';
          return `${loaded.source ?? 'no file, defaults'}${unknown}${measured}`;
        },
        'INVALID_PARAMS',
      );
      if (config) await runChecks(config, !!opts.openSam, add);
      const ok = checks.every((c) => c.ok);
      if (opts.json) printJson({ ok, checks });
      else printLines(checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.check.padEnd(12)} ${c.detail}`));
      const failed = checks.find((c) => !c.ok);
      if (failed) throw new BridgeError(failed.code ?? 'INTERNAL', `${failed.check}: ${failed.detail}`);
    });
}

type Add = (check: string, fn: () => string | Promise<string>, code?: ErrorCode) => Promise<void>;

async function runChecks(config: Config, openSam: boolean, add: Add): Promise<void> {
  // the user the daemon runs as, when this process can speak for it: as root (the postinst and
  // install.sh say to run doctor as root), or as that user itself
  const found = serviceAccount(config.dataDir);
  const euid = process.geteuid?.() ?? 0;
  const service = found && found.uid !== 0 && (euid === 0 || euid === found.uid) ? found : undefined;
  await add(
    'secrets',
    () => {
      const file = config.sam.secretsFile;
      if (!file) throw new BridgeError('NO_SAM', 'sam.secretsFile is not set');
      loadSamSecrets(file, found); // checks mode 0600 and the hex lengths; never prints them
      if (service) {
        // root reads any file: what counts is whether the service user can
        const p = accessProblem(file, service, 'read');
        if (p) {
          const fix = p.path === resolve(file) ? `; run "${chownCommand(service, file)}"` : '';
          throw new BridgeError(
            'NO_SAM',
            `sam.secretsFile ${file}: the service user ${service.name} cannot read it (${p.detail})${fix}`,
          );
        }
      }
      const by = service ? `, readable by ${service.name}` : '';
      return `${file} (mode 0600${by}, PCID 16 bytes, CONF 32 bytes)`;
    },
    'NO_SAM',
  );
  await add(
    'browser',
    () => {
      const r = checkInstalledPolicies('/', config.security.allowedOrigins);
      if (!r.ok) throw new BridgeError('ORIGIN_FORBIDDEN', r.detail);
      return r.detail;
    },
    'ORIGIN_FORBIDDEN',
  );
  await add(
    'dataDir',
    () => {
      accessSync(config.dataDir, constants.W_OK);
      if (service) checkServiceOwns(config.dataDir, service);
      const key = join(config.dataDir, 'device-key.pem');
      if (existsSync(key) && statSync(key).mode & 0o077) throw new Error(`${key} is readable by group/other`);
      const by = service ? ` by ${service.name}` : '';
      return `${config.dataDir} writable${by}${existsSync(key) ? ', device key 0600' : ', no device key yet'}`;
    },
    'INVALID_PARAMS',
  );
  const health = await daemonHealth(config.port);
  await add('daemon', () => {
    if (!health) return `not running (port ${config.port} free or not answering)`;
    return `answering on 127.0.0.1:${config.port}, health ${health.ok ? 'ok' : 'NOT ok'}`;
  });
  if (health) {
    await add('sam', () => {
      if (health.sam !== 'open' && health.sam !== 'closed')
        throw new BridgeError(samCode(String(health.sam)), `daemon reports SAM ${health.sam}`);
      return `daemon reports SAM ${health.sam}`;
    });
    await add('readers', () => {
      if (health.pcsc === 'down')
        throw new BridgeError('NO_READER', 'the daemon cannot reach pcscd: start it (systemctl start pcscd)');
      const readers = (health.readers as Array<{ name: string; role: string }>) ?? [];
      if (!readers.some((r) => r.role === 'rf' || r.role === 'unknown')) throw new BridgeError('NO_READER');
      return readers.map((r) => `${r.name} (${r.role})`).join(', ');
    });
  } else {
    await add(
      'pcscd',
      () => {
        if (!existsSync('/run/pcscd/pcscd.comm'))
          throw new BridgeError('NO_READER', 'pcscd socket /run/pcscd/pcscd.comm is missing: start pcscd');
        return 'socket /run/pcscd/pcscd.comm present';
      },
      'NO_READER',
    );
    await add('readers', () =>
      withDirectCardSide(config, false, async (side) => {
        const readers = side.directory.list();
        if (readers.length === 0) throw new BridgeError('NO_READER', 'pcscd sees no reader');
        if (!side.directory.samReader())
          throw new BridgeError('NO_SAM', `no SAM found in ${readers.map((r) => r.name).join(', ')}`);
        if (openSam) await side.sam.ensureOpen();
        return `${readers.map((r) => `${r.name} (${r.role})`).join(', ')}${openSam ? '; SAM opened' : ''}`;
      }),
    );
  }
  await add('sensors', () => (health ? daemonSensors(health) : localSensors(config)), 'NO_SENSOR');
}

/**
 * dataDir and everything in it must be the service user's: a device key, audit log or gallery a
 * command run as root left root's (mode 0600 or 0700) locks the daemon out however right its mode.
 */
function checkServiceOwns(dataDir: string, service: Account): void {
  const fix = `run "${chownCommand(service, dataDir, { recursive: true })}"`;
  const p = accessProblem(dataDir, service, 'write');
  if (p) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `the service user ${service.name} cannot write ${dataDir} (${p.detail}); ${fix}`,
    );
  }
  const foreign: string[] = [];
  const walk = (dir: string, depth: number) => {
    let list: Dirent[];
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a folder this user may not list: itself already listed as another user's
    }
    for (const e of list) {
      const path = join(dir, e.name);
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) continue; // removed meanwhile
      if (st.uid !== service.uid) foreign.push(`${relative(dataDir, path)} (${ownerText(st)})`);
      if (e.isDirectory() && depth < 3) walk(path, depth + 1);
    }
  };
  walk(dataDir, 1);
  if (foreign.length) {
    const listed =
      foreign.length > 5
        ? `${foreign.slice(0, 5).join(', ')} and ${foreign.length - 5} more`
        : foreign.join(', ');
    throw new BridgeError(
      'INVALID_PARAMS',
      `${listed} in ${dataDir} ${foreign.length > 1 ? 'belong' : 'belongs'} to another user than the ` +
        `service user ${service.name} (a command run as root?), which the daemon may not be able to use; ` +
        fix,
    );
  }
}

/** While the daemon runs it holds the sensors: what it reports is what counters get. */
function daemonSensors(health: Record<string, unknown>): string {
  const sensors = (health.sensors as Array<{ id: string; state: string }> | undefined) ?? [];
  if (sensors.length === 0) throw new BridgeError('NO_SENSOR', 'the daemon has no fingerprint sensor');
  const listed = sensors.map((s) => `${s.id} (${s.state})`).join(', ');
  if (sensors.some((s) => s.state === 'absent'))
    throw new BridgeError('NO_SENSOR', `the daemon reports a configured sensor absent: ${listed}`);
  return `daemon reports ${listed}`;
}

/** No daemon: the USB sensors plugged in, and each configured serial port that exists. */
function localSensors(config: Config): string {
  const usb = discoverUsbSensors().map((s) => `${s.name} (USB)`);
  const serial = config.sensors.map((s) => {
    if (typeof s.path !== 'string') return `${s.driver} (USB, configured)`;
    if (!existsSync(s.path))
      throw new BridgeError(
        'NO_SENSOR',
        `${s.driver} on ${s.path}: no such port (is the scanner plugged in?)`,
      );
    return `${s.driver} on ${s.path}`;
  });
  const found = [...usb, ...serial];
  if (found.length === 0) throw new BridgeError('NO_SENSOR', 'no USB sensor found and none configured');
  return found.join(', ');
}

function samCode(state: string): ErrorCode {
  if (state === 'blocked') return 'SAM_LOCKED';
  if (state === 'auth-failed') return 'SAM_AUTH_FAILED';
  return 'NO_SAM';
}

function daemonHealth(port: number): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const req = get(
      { host: '127.0.0.1', port, path: '/health', headers: { Host: `127.0.0.1:${port}` }, timeout: 2000 },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch {
            resolve(undefined);
          }
        });
      },
    );
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
  });
}
