// Photos of actas: QR codes are rendered here by the protocol's QR image code
// (the `qrcode` package), turned into "photos" — PNG and JPEG, scaled up to a
// phone camera's size, rotated, noisy, inverted — and fed back. Expected
// figures are the payloads' own counts; statuses follow from which key signed.
// Bad input: a truncated file, a non-image, an image without a QR code, a
// header claiming a giant image, a QR whose text is not a valid payload.
import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { createSeededRng, encodeHex, generateSigningKeyPair } from '@acta/crypto';
import { encodeActaQr, renderQrPng } from '@acta/protocol';
import { decodeActaPhotos, type ActaPhoto } from '../src/import-acta-photo.js';

const rng = createSeededRng('forensics/import-acta-photo');
const electionHash = rng.randomBytes(32);
const device = generateSigningKeyPair(rng).secretKey;
const stranger = generateSigningKeyPair(rng).secretKey;
const MESA = '130901001.01';
const acta = (signer = device, counts = [9, 8, 7]): string =>
  encodeActaQr(
    {
      electionHash,
      mesa: MESA,
      registered: 40,
      checkedIn: 30,
      cast: 29,
      spoiled: 1,
      counts: [counts],
      chainHead: encodeHex(rng.randomBytes(32)),
    },
    signer,
  );
const VE =
  '201301006.01.1.0001!140,7,10,8,1,7,1,0,2,3,0,1,8,1,0,1,0,3,1,1,0,1,0,0,0,0,0,0,1,2,0,0,0,5,7,155,1,1!0!0';
const context = {
  acta: {
    deviceKeys: new Map([[MESA, device.publicKey().toHex()]]),
    electionHash: encodeHex(electionHash),
  },
};

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

async function qrPixels(text: string, scale = 4): Promise<Rgba> {
  const png = await renderQrPng(text, { scale });
  if (!png.ok) throw new Error(png.error.message);
  const img = PNG.sync.read(Buffer.from(png.value));
  return { width: img.width, height: img.height, data: new Uint8Array(img.data) };
}

function toPng(p: Rgba): Uint8Array {
  return new Uint8Array(
    PNG.sync.write({ width: p.width, height: p.height, data: Buffer.from(p.data) }),
  );
}

function toJpeg(p: Rgba, quality = 85): Uint8Array {
  return new Uint8Array(
    jpeg.encode({ width: p.width, height: p.height, data: p.data }, quality).data,
  );
}

/**
 * A "photo": the symbol on a grey page of `size` pixels, rotated by `degrees`
 * about the centre (nearest neighbour), with seeded noise of ± `noise` levels.
 */
function photograph(q: Rgba, size: number, degrees: number, noise: number, invert = false): Rgba {
  const out = new Uint8Array(size * size * 4);
  const zoom = (size * 0.6) / q.width;
  const cos = Math.cos((degrees * Math.PI) / 180);
  const sin = Math.sin((degrees * Math.PI) / 180);
  const bytes = rng.randomBytes(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - size / 2;
      const dy = y - size / 2;
      const sx = Math.floor((cos * dx + sin * dy) / zoom + q.width / 2);
      const sy = Math.floor((-sin * dx + cos * dy) / zoom + q.height / 2);
      let v = 225; // paper
      if (sx >= 0 && sy >= 0 && sx < q.width && sy < q.height)
        v = q.data[(sy * q.width + sx) * 4]! > 127 ? 235 : 30;
      if (invert) v = 255 - v;
      v += Math.round(((bytes[y * size + x]! / 255) * 2 - 1) * noise);
      const o = (y * size + x) * 4;
      out[o] = out[o + 1] = out[o + 2] = Math.max(0, Math.min(255, v));
      out[o + 3] = 255;
    }
  }
  return { width: size, height: size, data: out };
}

describe('decodeActaPhotos: readable photos', () => {
  it('a PNG of a signed acta, a JPEG of a Venezuelan acta, a rotated noisy JPEG, an inverted PNG', async () => {
    const signed = await qrPixels(acta());
    const ve = await qrPixels(VE);
    const images: ActaPhoto[] = [
      { name: 'acta.png', bytes: toPng(signed) },
      { name: 've.jpg', bytes: toJpeg(ve) },
      { name: 'tilted.jpg', bytes: toJpeg(photograph(signed, 900, 17, 15), 70) },
      { name: 'negative.png', bytes: toPng(photograph(ve, 500, 0, 10, true)) },
    ];
    const r = decodeActaPhotos(images, context);
    expect(r.undecodable).toEqual([]);
    expect(r.inconsistent).toEqual([]);
    expect(r.actas.map((a) => [a.result.source, a.result.id, a.signature])).toEqual([
      ['acta.png', MESA, 'verified'],
      ['ve.jpg', '201301006.01', 'unsigned'],
      ['tilted.jpg', MESA, 'verified'],
      ['negative.png', '201301006.01', 'unsigned'],
    ]);
    expect(Object.fromEntries(r.actas[0]!.result.votes)).toEqual({
      'card 1': 9,
      'card 2': 8,
      'card 3': 7,
    });
    // González = 5 + 7 + 155 (BRIEF.md example, summed by hand).
    expect(r.actas[1]!.result.votes.get('EG')).toBe(167);
    expect(r.unsigned.map((u) => u.source)).toEqual(['ve.jpg', 'negative.png']);
    expect([r.rows, r.skipped]).toEqual([4, 0]);
  });

  // Its time (about 3 s on two cores, mostly the JPEG decode) is a benchmark's
  // business, not a test's.
  it('decodes a phone-sized (3000 × 3000) JPEG photo', async () => {
    const big = toJpeg(photograph(await qrPixels(acta()), 3000, 8, 20), 80);
    const r = decodeActaPhotos([{ name: 'phone.jpg', bytes: big }], context);
    expect(r.actas.map((a) => a.signature)).toEqual(['verified']);
  });
});

describe('decodeActaPhotos: undecodable versus decodable-but-inconsistent', () => {
  it('sorts bad photos into the two lists, naming each image', async () => {
    const good = toPng(await qrPixels(acta()));
    const blank = toPng({ width: 300, height: 200, data: new Uint8Array(300 * 200 * 4).fill(200) });
    const giant = new Uint8Array(good.slice(0, 64));
    new DataView(giant.buffer).setUint32(16, 100_000); // IHDR width
    new DataView(giant.buffer).setUint32(20, 100_000); // IHDR height
    const images: ActaPhoto[] = [
      { name: 'truncated.png', bytes: good.slice(0, Math.floor(good.length / 2)) },
      { name: 'notes.txt', bytes: new TextEncoder().encode('not an image at all') },
      { name: 'blank.png', bytes: blank },
      { name: 'giant.png', bytes: giant },
      { name: 'cut.jpg', bytes: toJpeg(await qrPixels(VE)).slice(0, 300) },
      { name: 'big-file.png', bytes: good },
      { name: 'garbage.png', bytes: toPng(await qrPixels('ACTA1!garbage')) },
      { name: 'hello.png', bytes: toPng(await qrPixels('hello world')) },
      { name: 'forged.png', bytes: toPng(await qrPixels(acta(stranger))) },
      { name: 'overcount.png', bytes: toPng(await qrPixels(acta(device, [30, 0, 0]))) },
      { name: 've-bad.png', bytes: toPng(await qrPixels(VE.replace('155', '-155'))) },
      { name: 'good.png', bytes: good },
    ];
    const r = decodeActaPhotos(images, { ...context, maxBytes: good.length });
    expect(r.undecodable.map((p) => [p.where, p.code])).toEqual([
      ['truncated.png', 'IMPORT_UNREADABLE_IMAGE'],
      ['notes.txt', 'IMPORT_UNREADABLE_IMAGE'],
      ['blank.png', 'IMPORT_NO_QR'],
      ['giant.png', 'IMPORT_UNREADABLE_IMAGE'],
      ['cut.jpg', 'IMPORT_UNREADABLE_IMAGE'],
    ]);
    expect(r.undecodable[3]!.message).toMatch(/100000 × 100000 pixels/);
    expect(r.inconsistent.map((f) => [f.image, f.code, f.kind])).toEqual([
      ['garbage.png', 'PHOTO_BAD_PAYLOAD', 'acta'],
      ['hello.png', 'PHOTO_UNKNOWN_PAYLOAD', 'unknown'],
      ['forged.png', 'PHOTO_FORGED', 'acta'],
      ['overcount.png', 'PHOTO_ARITHMETIC', 'acta'],
      ['ve-bad.png', 'PHOTO_BAD_PAYLOAD', 'venezuelan'],
    ]);
    expect(r.inconsistent[0]!.reason).toMatch(/^ACTA_QR_SECTIONS/);
    expect(r.inconsistent[4]!.reason).toMatch(/IMPORT_NEGATIVE_COUNT/);
    // The forged and inconsistent actas are still handed on, with their status.
    expect(r.actas.map((a) => [a.result.source, a.signature])).toEqual([
      ['big-file.png', 'verified'],
      ['forged.png', 'forged'],
      ['overcount.png', 'verified'],
      ['good.png', 'verified'],
    ]);
    expect([r.rows, r.skipped]).toEqual([12, 8]);

    const tooBig = decodeActaPhotos([{ name: 'g.png', bytes: good }], { maxBytes: 100 });
    expect(tooBig.undecodable[0]?.message).toMatch(/more than the 100 accepted/);
  });
});
