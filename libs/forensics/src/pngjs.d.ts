// The part of pngjs 7 (which ships no types) that import-acta-photo.ts and its
// tests use: synchronous PNG decoding and encoding to and from RGBA pixels.
declare module 'pngjs' {
  interface PngImage {
    readonly width: number;
    readonly height: number;
    /** RGBA, 4 bytes per pixel, rows top to bottom. */
    readonly data: Buffer;
  }
  interface PngWriteOptions {
    readonly colorType?: 0 | 2 | 4 | 6;
    readonly inputColorType?: 0 | 2 | 4 | 6;
    readonly inputHasAlpha?: boolean;
  }
  export const PNG: {
    readonly sync: {
      read(buffer: Buffer, options?: { readonly checkCRC?: boolean }): PngImage;
      write(png: PngImage, options?: PngWriteOptions): Buffer;
    };
  };
}
