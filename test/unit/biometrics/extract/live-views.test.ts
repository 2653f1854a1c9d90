/** finger.verify's live views (extract/live-views.ts): the extractor as it is, then with a smoother flow. */
import { describe, expect, it } from 'vitest';
import { syntheticFinger } from '../../../../simulator/fingerprints/index.ts';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import { extractLiveViews, LIVE_VIEWS } from '../../../../src/biometrics/extract/live-views.ts';
import { PARAMS } from '../../../../src/biometrics/extract/parameters.ts';

describe('live views', () => {
  const image = syntheticFinger(4243).impression(3);

  it('the first view is the extraction itself; the image is left as it was', () => {
    const before = image.pixels.slice();
    const views = extractLiveViews(image);
    expect(views).toHaveLength(LIVE_VIEWS.length);
    expect(views[0]).toEqual(extractMinutiae(image));
    expect(image.pixels).toEqual(before);
  });

  it('the second view is the extractor with the orientation smoothed harder, and differs', () => {
    const [, second] = extractLiveViews(image);
    expect(LIVE_VIEWS[1]).toEqual({ orientationSmoothSigma: 1.6 });
    expect(second).toEqual(extractMinutiae(image, { parameters: { orientationSmoothSigma: 1.6 } }));
    expect(second.minutiae).not.toEqual(extractMinutiae(image).minutiae);
  });

  it('an override applies to that call only', () => {
    const plain = extractMinutiae(image);
    extractMinutiae(image, { parameters: { orientationSmoothSigma: 2.5 } });
    expect(extractMinutiae(image)).toEqual(plain);
    expect(PARAMS.orientationSmoothSigma).toBe(1.2);
  });
});
