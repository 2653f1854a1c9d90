/** bmp-js ships no types; this is the part of its API the BMP decoder uses. */
declare module 'bmp-js' {
  interface DecodedBmp {
    width: number;
    height: number;
    /** 4 bytes per pixel: A, B, G, R */
    data: Buffer;
    /** horizontal and vertical resolution, pixels per metre (0 when unset) */
    hr: number;
    vr: number;
  }
  const bmp: {
    decode(buffer: Buffer): DecodedBmp;
    encode(img: { data: Buffer; width: number; height: number }): {
      data: Buffer;
      width: number;
      height: number;
    };
  };
  export default bmp;
}
