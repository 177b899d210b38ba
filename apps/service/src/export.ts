/**
 * `acta export DIR` (issue #4 item 8): the whole public record as files, for
 * anyone to verify (issue #5) without the service:
 *
 *   record.json        what the record is: format, election id, entry count,
 *                      the latest signed tree head, the files
 *   entries.ndjson     every board entry in board order, one JSON entry per line
 *                      (the Merkle leaves are their canonical forms)
 *   tree-head.json     the latest signed tree head
 *   tree-heads.ndjson  every signed tree head the board published, oldest first
 *   manifest.json      the election's manifest (a copy of the first entry's)
 *   totals.json        the totals entry's body, when posted
 *
 * The board never holds a secret (ballot nonces appear only in spoiled
 * ballots, which publish them on purpose), so neither does the export; the
 * tests check it against every secret the simulated parties held.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BoardStore } from '@acta/store';

/** What was written. */
export interface ExportSummary {
  readonly dir: string;
  readonly entries: number;
  readonly files: readonly string[];
  readonly treeSize: number | undefined;
}

/** Writes the record of `store` into `dir` (created if missing; existing files are replaced). */
export async function exportRecord(
  store: BoardStore,
  dir: string,
  onProgress?: (done: number, total: number) => void,
): Promise<ExportSummary> {
  await mkdir(dir, { recursive: true });
  const total = await store.size();
  const files = ['record.json', 'entries.ndjson', 'tree-heads.ndjson'];
  const out = await open(join(dir, 'entries.ndjson'), 'w');
  let manifest: unknown;
  let totals: unknown;
  let electionId: string | undefined;
  let done = 0;
  try {
    const decoder = new TextDecoder();
    let chunk: string[] = [];
    for await (const e of store.entries()) {
      const line = decoder.decode(e.payload);
      if (e.kind === 'election' || e.kind === 'totals') {
        const body = (JSON.parse(line) as { body: Record<string, unknown> }).body;
        if (e.kind === 'election') {
          manifest = body['manifest'];
          electionId = (manifest as { electionId?: string }).electionId;
        } else totals = body;
      }
      chunk.push(line);
      done += 1;
      if (chunk.length >= 1000) {
        await out.write(`${chunk.join('\n')}\n`);
        chunk = [];
        onProgress?.(done, total);
      }
    }
    if (chunk.length > 0) await out.write(`${chunk.join('\n')}\n`);
    onProgress?.(done, total);
  } finally {
    await out.close();
  }
  const heads = await store.treeHeads();
  await writeFile(
    join(dir, 'tree-heads.ndjson'),
    heads.map((h) => h.json).join('\n') + (heads.length > 0 ? '\n' : ''),
  );
  const latest = heads.at(-1);
  if (latest !== undefined) {
    await writeFile(join(dir, 'tree-head.json'), `${latest.json}\n`);
    files.push('tree-head.json');
  }
  if (manifest !== undefined) {
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    files.push('manifest.json');
  }
  if (totals !== undefined) {
    await writeFile(join(dir, 'totals.json'), `${JSON.stringify(totals, null, 2)}\n`);
    files.push('totals.json');
  }
  const record = {
    format: 'acta-record-v1',
    electionId: electionId ?? null,
    entries: done,
    treeHead: latest === undefined ? null : (JSON.parse(latest.json) as unknown),
    files: [...files].sort(),
  };
  await writeFile(join(dir, 'record.json'), `${JSON.stringify(record, null, 2)}\n`);
  return { dir, entries: done, files: record.files, treeSize: latest?.treeSize };
}
