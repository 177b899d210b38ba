/**
 * QR images the step commands write (`--qr FILE`): a card (secret), a
 * receipt or an acta (public), as SVG or PNG by the file's extension,
 * rendered by @acta/protocol (the `qrcode` package underneath).
 */
import { existsSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { renderQrPng, renderQrSvg } from '@acta/protocol';
import { usage } from './errors.js';
import { writeFileAtomic } from './workdir.js';

/** Refuses (usage error) a `--qr` path that is not .svg or .png. */
export function checkQrExtension(path: string): void {
  const ext = extname(path).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw usage('--qr must name a .svg or .png file');
}

/** Refuses (usage error) a `--qr` path of the wrong kind or in a directory that does not exist. */
export function checkQrPath(path: string): void {
  checkQrExtension(path);
  if (!existsSync(dirname(path))) throw usage(`the directory of ${path} does not exist`);
}

/** Renders `text` as a QR image and writes it atomically with `mode`; `what` names it in errors. */
export async function writeQrFile(
  path: string,
  text: string,
  what: string,
  mode?: number,
): Promise<void> {
  const image =
    extname(path).toLowerCase() === '.png' ? await renderQrPng(text) : renderQrSvg(text);
  if (!image.ok) throw new Error(`${what} QR code did not render: ${image.error.toString()}`);
  await writeFileAtomic(path, image.value, mode);
}
