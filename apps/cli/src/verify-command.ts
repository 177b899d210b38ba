/**
 * `acta verify DIR` (issue #5): reads an exported record from a directory and
 * hands it to @acta/verifier — the small files whole, entries.ndjson as a
 * stream of its bytes' lines (`splitRecordLines`: `\n` only ends a line, and
 * the verifier decodes each as strict UTF-8). Prints a summary
 * (what was checked, how many, how long, every failure with its place) or,
 * with --json, one JSON document. Exit status: 0 everything verifies, 1
 * something failed, 2 a usage error or a directory that holds no record.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describeTotals, parseManifest } from '@acta/protocol';
import {
  RECORD_FILES,
  splitRecordLines,
  verifyRecord,
  type RecordLine,
  type RecordSource,
  type VerificationReport,
} from '@acta/verifier';
import { printJson, renderTable } from './output.js';
import { createProgress, type ProgressStep } from './progress.js';

/** A mistake in how `acta verify` was called, or no record to read (exit 2). */
export class VerifyUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyUsageError';
  }
}

/** The lines of a file as the verifier reads them (split on `\n` only, decoded strictly there). */
export function readLines(path: string): AsyncGenerator<RecordLine> {
  return splitRecordLines(
    createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
  );
}

/** Reads a record directory into a RecordSource. */
export async function readRecordDir(dir: string): Promise<RecordSource> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new VerifyUsageError(`${dir} is not a directory`);
  }
  const present = RECORD_FILES.filter((name) => existsSync(join(dir, name)));
  if (present.length === 0) {
    throw new VerifyUsageError(
      `${dir} holds no record (none of ${RECORD_FILES.join(', ')}); write one with acta export or acta demo --out`,
    );
  }
  const files: Record<string, string> = {};
  for (const name of present) {
    if (name === 'entries.ndjson') continue;
    try {
      files[name] = await readFile(join(dir, name), 'utf8');
    } catch (e) {
      throw new VerifyUsageError(`cannot read ${join(dir, name)}: ${(e as Error).message}`);
    }
  }
  return {
    files,
    entryLines: present.includes('entries.ndjson')
      ? readLines(join(dir, 'entries.ndjson'))
      : undefined,
  };
}

function parseCount(name: string, value: string, max: number): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > max) {
    throw new VerifyUsageError(`${name} must be an integer from 0 to ${max}, got ${value}`);
  }
  return Number(value);
}

function parseHex32(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new VerifyUsageError(`${name} must be 64 hex digits`);
  }
  return value.toLowerCase();
}

interface VerifyCliOptions {
  json?: boolean;
  workers?: string;
  authorityKey?: string;
  electionHash?: string;
  baseHash?: string;
  treeHead?: string[];
  partial?: boolean;
  maxErrors?: string;
  credential?: string[];
  tracking?: string[];
}

/** The JSON document `acta verify --json` prints. */
export interface VerifyJson extends VerificationReport {
  readonly record: string;
  readonly seconds: number;
  readonly rates: { readonly ballotsPerSecond: number; readonly selectionProofsPerSecond: number };
}

/** Registers `acta verify`. */
export function registerVerifyCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description(
      'verify an exported election record end to end: the Merkle tree and signed tree heads, every signature, the key ceremony, every ballot proof and chain, every acta, decryption and total (exit 0 ok, 1 failed, 2 unreadable)',
    )
    .argument('<dir>', 'the record directory (acta export, acta demo --out)')
    .option('--json', 'print the report as JSON')
    .option(
      '--workers <n>',
      'worker threads for the ballot proofs (default: one per core; 0: this thread)',
    )
    .option(
      '--authority-key <hex>',
      "the election's authority key, from a source independent of the record",
    )
    .option(
      '--election-hash <hex>',
      'the extended election hash, from a source independent of the record',
    )
    .option('--base-hash <hex>', 'the base hash, from a source independent of the record')
    .option(
      '--tree-head <file>',
      'a signed tree head seen earlier (JSON); the record must extend it (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--partial', 'accept a record that ends before the totals (an election in progress)')
    .option(
      '--credential <hex>',
      "a voter's credential key (from the card): list every entry that names it (repeatable)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--tracking <code>',
      'a tracking code from a receipt (hex, XXXX-XXXX-XXXX-XXXX or the ACTA1R: QR text): find the ballot (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--max-errors <n>', 'errors listed at most (all are counted)', '1000')
    .action(async (dir: string, opts: VerifyCliOptions) => {
      const workers =
        opts.workers === undefined ? undefined : parseCount('--workers', opts.workers, 1024);
      const maxErrors = parseCount('--max-errors', opts.maxErrors ?? '1000', 10_000_000);
      const baseHash = parseHex32('--base-hash', opts.baseHash);
      const authorityKey = parseHex32('--authority-key', opts.authorityKey);
      const electionHash = parseHex32('--election-hash', opts.electionHash);
      const knownTreeHeads: string[] = [];
      for (const f of opts.treeHead ?? []) {
        try {
          knownTreeHeads.push(await readFile(f, 'utf8'));
        } catch (e) {
          throw new VerifyUsageError(`cannot read tree head ${f}: ${(e as Error).message}`);
        }
      }
      const source = await readRecordDir(dir);
      const progress = createProgress({ quiet: opts.json === true });
      let step: ProgressStep | undefined;
      let shown = 0;
      const started = performance.now();
      const report = await verifyRecord(source, {
        ...(workers === undefined ? {} : { workers }),
        ...(authorityKey === undefined ? {} : { authorityKey }),
        ...(electionHash === undefined ? {} : { electionHash }),
        ...(baseHash === undefined ? {} : { baseHash }),
        knownTreeHeads,
        partial: opts.partial === true,
        maxErrors,
        lookup: { credentials: opts.credential ?? [], trackingCodes: opts.tracking ?? [] },
        onProgress: (p) => {
          if (step === undefined && p.totalEntries !== undefined && p.totalEntries > 0) {
            step = progress.step('entries verified', p.totalEntries);
          }
          if (step !== undefined && p.entries > shown) {
            step.tick(p.entries - shown);
            shown = p.entries;
          }
        },
      });
      step?.done();
      const seconds = (performance.now() - started) / 1000;
      const out: VerifyJson = {
        record: dir,
        ...report,
        seconds: Math.round(seconds * 1000) / 1000,
        rates: {
          ballotsPerSecond: Math.round(report.checked.ballots / seconds),
          selectionProofsPerSecond: Math.round(report.checked.selectionProofs / seconds),
        },
      };
      if (opts.json === true) printJson(out);
      else printReport(out, await readManifestForNames(dir));
      setExit(report.ok ? 0 : 1);
    });
}

/** What a voter's lookups found, in words (docs/spec-verifier.md §1.3). */
function describeLookups(r: VerificationReport): string[] {
  const lines: string[] = [];
  for (const l of r.lookups) {
    lines.push('');
    if (l.normalized === null) {
      lines.push(
        `${l.kind === 'credential' ? 'credential' : 'tracking code'} ${l.query}: not in a recognised form`,
      );
      continue;
    }
    const status = (accepted: boolean): string =>
      accepted ? 'verified' : 'FAILED verification (see the errors)';
    if (l.kind === 'credential') {
      lines.push(`credential ${l.normalized}:`);
      const refused = l.found.filter((h) => h.type === 'refusal');
      if (refused.length > 0) {
        lines.push(
          `  ${refused.length} refused attempt(s) to use this credential are recorded (refusal entries below)`,
        );
      }
      if (l.found.length === 0) lines.push('  not in the record: this key was never registered');
      for (const h of l.found) {
        lines.push(
          `  entry ${h.entry} (line ${h.entry + 1}): ${h.type} at mesa ${h.mesa} — ${status(h.accepted)}`,
        );
      }
      const checkins = l.found.filter((h) => h.type === 'checkin');
      if (checkins.length > 0) {
        lines.push(
          `  this credential checked in at mesa ${checkins[0]!.mesa} (entry ${checkins[0]!.entry}). If its holder did not vote, someone voted in their name: report that entry.`,
        );
      } else if (l.found.length > 0) {
        lines.push('  no check-in: nobody voted with this credential');
      }
    } else {
      lines.push(`tracking code ${l.query}:`);
      if (l.found.length === 0) {
        lines.push(
          '  NOT in the record: if this is your receipt, your ballot is missing — report it with the receipt',
        );
      }
      for (const h of l.found) {
        lines.push(
          `  entry ${h.entry} (line ${h.entry + 1}): ballot ${h.sequence} of mesa ${h.mesa}, ${h.disposition} — ${status(h.accepted)}${h.disposition === 'cast' ? (h.accepted ? '; counted in the mesa tally' : '') : '; spoiled ballots are opened, never counted'}`,
        );
      }
    }
  }
  return lines;
}

async function readManifestForNames(dir: string) {
  try {
    const m = parseManifest(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
    return m.ok ? m.value : undefined;
  } catch {
    return undefined;
  }
}

function printReport(
  r: VerifyJson,
  manifest: Awaited<ReturnType<typeof readManifestForNames>>,
): void {
  const c = r.checked;
  const lines: string[] = [
    '',
    `Acta verifier — record ${r.record}`,
    `election ${r.electionId ?? '(none)'} · ${r.entries} entries · latest signed tree head: ${r.treeSize ?? 'none'} entries`,
    `authority key ${r.authorityKey ?? '(none)'}`,
    `election hash ${r.electionHash ?? '(none)'}`,
    `checked in ${r.seconds.toFixed(1)} s on ${r.workers === 0 ? 'this thread' : `${r.workers} worker thread(s)`} (${r.backend} backend): ${r.rates.ballotsPerSecond} ballots/s, ${r.rates.selectionProofsPerSecond} selection proofs/s`,
    '',
    renderTable(
      ['What', 'Checked'],
      [
        ['entries (Merkle leaves)', c.entries],
        ['signed tree heads', c.treeHeads],
        ['signatures', c.signatures],
        ['trustees (key ceremony)', c.trustees],
        ['mesas (opened)', `${c.mesas} (${c.mesasOpened})`],
        ['registrations / revocations', `${c.registrations} / ${c.revocations}`],
        ['check-ins', c.checkins],
        ['ballots: cast / spoiled (opened)', `${c.castBallots} / ${c.spoiledBallots}`],
        ['contest proofs / selection proofs', `${c.contestProofs} / ${c.selectionProofs}`],
        ['actas / witness co-signatures', `${c.actas} / ${c.cosignatures}`],
        ['decryption shares', c.decryptionShares],
        ['mesa results / totals', `${c.mesaResults} / ${c.totals}`],
        ['refusals recorded', c.refusals],
      ],
    ),
  ];
  const unsigned = r.actas.filter((a) => a.witnesses.length === 0);
  if (r.actas.length > 0) {
    lines.push(
      `actas co-signed by at least one witness: ${r.actas.length - unsigned.length} of ${r.actas.length}${
        unsigned.length > 0
          ? ` (without: ${unsigned
              .slice(0, 10)
              .map((a) => a.mesa)
              .join(', ')}${unsigned.length > 10 ? ', …' : ''})`
          : ''
      }`,
    );
  }
  for (const w of r.warnings) lines.push(`warning ${w.code} at ${w.where}: ${w.message}`);
  lines.push(...describeLookups(r));
  if (r.ok) {
    lines.push('', `VERIFIED: every check passed${r.complete ? '' : ' (partial record)'}.`);
    if (r.totals !== null && manifest !== undefined) {
      for (const contest of describeTotals(manifest, r.totals.results)) {
        lines.push(
          '',
          `${contest.name}`,
          renderTable(
            ['Candidate', 'Votes'],
            [...contest.candidates].sort((a, b) => b.votes - a.votes).map((x) => [x.name, x.votes]),
          ),
        );
      }
    }
  } else {
    lines.push('', `FAILED: ${r.errorCount} check(s) failed:`);
    const shown = r.errors.slice(0, 50);
    for (const e of shown) lines.push(`  ${e.code} at ${e.where}: ${e.message}`);
    if (r.errorCount > shown.length) {
      lines.push(`  … and ${r.errorCount - shown.length} more (--json lists up to --max-errors)`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
