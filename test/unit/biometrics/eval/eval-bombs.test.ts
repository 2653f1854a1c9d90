/**
 * Issue 11, done-when: "a PNG, JPEG or TIFF bomb given to `eval` is refused in under 10 s and under
 * 400 MB". `ektp-bridge eval` runs as a child process on a folder holding one bomb among honest
 * images; its peak RSS (threads included) comes from a preload that reports it at exit.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../shared-data.ts';
import { deflateTiffBomb, doubleIhdrPng, interlacedPngBomb, tinyJpegClaiming } from '../image/bombs.ts';
import { ramp, tiffOf } from '../image/make-images.ts';

const bin = path.join(REPO_ROOT, 'src/cli/bin.js');
const preload = pathToFileURL(path.join(import.meta.dirname, 'max-rss-on-exit.mjs')).href;

const BOMBS: Record<string, () => Uint8Array> = {
  'PNG, interlaced, 1 MB inflating to 1 GB': () => interlacedPngBomb(1024),
  'PNG with a second IHDR claiming 16000x16000': doubleIhdrPng,
  'JPEG of 450 bytes claiming 4000x4000': () => tinyJpegClaiming(4000, 4000),
  'TIFF with a Deflate strip inflating to 1 GB': () => deflateTiffBomb(1024),
};

function runEval(dataset: string, rssFile: string): Promise<{ code: number; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', preload, bin, 'eval', '--dataset', dataset, '--dpi', '500', '--threads', '1'],
      { env: { ...process.env, MAX_RSS_FILE: rssFile }, timeout: 60_000 },
      (err, _stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? -1) : 0;
        resolve({ code: typeof code === 'number' ? code : -1, stderr, ms: performance.now() - t0 });
      },
    );
  });
}

describe('ektp-bridge eval given a decoding bomb', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ektp-eval-bombs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, make] of Object.entries(BOMBS)) {
    it(`${name}: INVALID_PARAMS naming the file, in under 10 s and 400 MB`, async () => {
      const dataset = mkdtempSync(path.join(dir, 'set-'));
      // eval picks images by name (<finger>_<impression>.tif) and decodes them by content
      writeFileSync(path.join(dataset, '1_1.tif'), tiffOf(ramp(300, 300), 300, 300));
      writeFileSync(path.join(dataset, '1_2.tif'), make());
      const rssFile = path.join(dataset, 'max-rss');
      const { code, stderr, ms } = await runEval(dataset, rssFile);
      const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
      console.log(`eval, ${name}: refused in ${ms.toFixed(0)} ms, peak RSS ${rssMb.toFixed(0)} MB`);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^INVALID_PARAMS: 1_2\.tif: /m);
      expect(ms).toBeLessThan(10_000);
      expect(rssMb).toBeLessThan(400);
    }, 60_000);
  }
});
