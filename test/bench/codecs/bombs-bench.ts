/**
 * Decoding bombs (issue 11 item 5), two ways:
 *  - in process: decodeImage on each bomb, time to refusal and this process's peak RSS after all;
 *  - `ektp-bridge eval` as a child process on a folder holding the bomb: wall time to the refusal
 *    (process start-up included) and the child's peak RSS, worker threads included.
 * Run: npm run bench:bombs
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BridgeError } from '../../../protocols/errors.ts';
import { decodeImage } from '../../../src/biometrics/image/index.ts';
import { REPO_ROOT } from '../../shared-data.ts';
import {
  deflateTiffBomb,
  doubleIhdrPng,
  interlacedPngBomb,
  tinyJpegClaiming,
} from '../../unit/biometrics/image/bombs.ts';
import { ramp, tiffOf } from '../../unit/biometrics/image/make-images.ts';

const BOMBS: Record<string, () => Uint8Array> = {
  'PNG interlaced, inflates to 1 GB': () => interlacedPngBomb(1024),
  'PNG second IHDR, 16000x16000': doubleIhdrPng,
  'JPEG claiming 4000x4000 (3 comp.)': () => tinyJpegClaiming(4000, 4000),
  'JPEG claiming 4000x4000 (grey)': () => tinyJpegClaiming(4000, 4000, 0xc0, 1),
  'TIFF Deflate strip, 1 GB': () => deflateTiffBomb(1024),
};

const bin = path.join(REPO_ROOT, 'src/cli/bin.js');
const preload = pathToFileURL(path.join(REPO_ROOT, 'test/unit/biometrics/eval/max-rss-on-exit.mjs')).href;
const dir = mkdtempSync(path.join(tmpdir(), 'ektp-bench-bombs-'));

console.log(
  'bomb                                 bytes     in-process refusal   eval: wall ms  peak RSS MB  answer',
);
try {
  for (const [name, make] of Object.entries(BOMBS)) {
    const file = make();
    const t0 = performance.now();
    let reason = 'accepted!';
    try {
      decodeImage(file);
    } catch (e) {
      reason = e instanceof BridgeError ? e.code : String(e);
    }
    const inProcessMs = performance.now() - t0;

    const set = mkdtempSync(path.join(dir, 'set-'));
    writeFileSync(path.join(set, '1_1.tif'), tiffOf(ramp(300, 300), 300, 300));
    writeFileSync(path.join(set, '1_2.tif'), file);
    const rssFile = path.join(set, 'rss');
    const t1 = performance.now();
    let answer = '';
    try {
      execFileSync(
        process.execPath,
        ['--import', preload, bin, 'eval', '--dataset', set, '--dpi', '500', '--threads', '1'],
        {
          env: { ...process.env, MAX_RSS_FILE: rssFile },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      answer = 'accepted!';
    } catch (e) {
      answer =
        String((e as { stderr?: Buffer }).stderr ?? '')
          .split('\n')
          .find((l) => l.startsWith('INVALID')) ?? '?';
    }
    const evalMs = performance.now() - t1;
    const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    console.log(
      `${name.padEnd(36)} ${String(file.length).padStart(8)}  ${reason} in ${inProcessMs.toFixed(1).padStart(5)} ms   ${evalMs.toFixed(0).padStart(8)}  ${rssMb.toFixed(0).padStart(11)}  ${answer.slice(0, 90)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `this process's peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (bombs built in memory included)`,
);
