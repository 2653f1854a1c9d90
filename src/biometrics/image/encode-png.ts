/** GrayImage -> 8-bit grey PNG with a pHYs chunk, the image finger.capture returns (api-v1.md). */
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import { dpiToPpm } from './grey.ts';

const IHDR_END = 8 + 8 + 13 + 4; // signature, IHDR length+type, IHDR data, CRC

/** A pHYs chunk in pixels per metre; pngjs cannot write one, so it is spliced in after IHDR. */
function physChunk(dpi: number): Buffer {
  const chunk = Buffer.alloc(4 + 4 + 9 + 4);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  const ppm = dpiToPpm(dpi);
  chunk.writeUInt32BE(ppm, 8);
  chunk.writeUInt32BE(ppm, 12);
  chunk[16] = 1; // unit: metre
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  return chunk;
}

export function encodePng(img: GrayImage): Buffer {
  if (img.pixels.length !== img.width * img.height || img.width < 1 || img.height < 1) {
    throw new BridgeError(
      'INVALID_PARAMS',
      `image of ${img.width}x${img.height} has ${img.pixels.length} pixels`,
    );
  }
  const data = Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.byteLength);
  const png = PNG.sync.write({ width: img.width, height: img.height, data } as PNG, {
    colorType: 0,
    inputColorType: 0,
    bitDepth: 8,
    inputHasAlpha: false,
  });
  if (!(img.dpi > 0)) return png;
  return Buffer.concat([png.subarray(0, IHDR_END), physChunk(img.dpi), png.subarray(IHDR_END)]);
}
