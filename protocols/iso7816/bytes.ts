// The byte helpers live one level up, shared with the sensor codecs.
export * from '../bytes.ts';
