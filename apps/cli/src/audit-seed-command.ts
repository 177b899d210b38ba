/**
 * `acta audit seed commit|combine` (issue #6, item 5): the public seed
 * ceremony. Each observer rolls dice, publishes a commitment to the digits
 * (with a secret nonce), and reveals digits and nonce once every commitment is
 * public; `combine` checks every reveal and prints the seed (@acta/audit
 * seed-ceremony.ts explains why no single observer can choose it).
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { z } from 'zod';
import { combineSeedCeremony, commitSeedContribution, type SeedCeremony } from '@acta/audit';
import { AuditUsageError, readJson } from './audit-input.js';
import { printJson, renderTable } from './output.js';

const ceremonySchema = z.object({
  commitments: z.array(z.object({ observer: z.string(), commitment: z.string() })),
  reveals: z
    .array(z.object({ observer: z.string(), digits: z.string(), nonce: z.string() }))
    .default([]),
});

/** Reads a ceremony file (`{commitments: [{observer, commitment}], reveals: [{observer, digits, nonce}]}`). */
export async function readCeremony(path: string): Promise<SeedCeremony> {
  const parsed = ceremonySchema.safeParse(await readJson(path));
  if (!parsed.success) {
    throw new AuditUsageError(
      parsed.error.issues
        .map((i) => `${path}: ${i.path.join('.') || 'file'}: ${i.message}`)
        .join('\n'),
    );
  }
  return parsed.data;
}

/** The seed of a ceremony file, or the reasons it has none (exit 1: the ceremony failed). */
export async function seedOfCeremony(
  path: string,
): Promise<
  { ok: true; seed: string; observers: readonly string[] } | { ok: false; problems: string[] }
> {
  const r = combineSeedCeremony(await readCeremony(path), path);
  return r.ok
    ? { ok: true, ...r.value }
    : { ok: false, problems: r.error.map((p) => `${p.code} ${p.where}: ${p.message}`) };
}

interface CommitOptions {
  observer: string;
  digits: string;
  nonce?: string;
  json?: boolean;
}

/** Registers `acta audit seed …`. */
export function registerSeedCommands(audit: Command, setExit: (code: number) => void): void {
  const seed = audit
    .command('seed')
    .description(
      'the public seed ceremony: observers commit to their dice digits, then reveal; the seed is their digits in commitment order',
    );
  seed
    .command('commit')
    .description(
      "an observer's commitment to their dice digits: publish the commitment now, keep digits and nonce secret until every commitment is published",
    )
    .requiredOption('--observer <name>', 'who contributes (as the ceremony file will name them)')
    .requiredOption('--digits <digits>', 'the dice rolled (decimal digits)')
    .option('--nonce <hex>', '32 random bytes in hex (default: drawn from the system generator)')
    .option('--json', 'print {observer, commitment, nonce} as JSON')
    .action((opts: CommitOptions) => {
      const nonce = opts.nonce ?? randomBytes(32).toString('hex');
      if (!/^[0-9]{1,200}$/.test(opts.digits)) {
        throw new AuditUsageError('--digits must be 1 to 200 decimal digits (the dice rolled)');
      }
      if (!/^[0-9a-f]{64}$/.test(nonce)) {
        throw new AuditUsageError('--nonce must be 32 bytes in lowercase hex (64 characters)');
      }
      if (opts.observer === '' || opts.observer.includes('\u0000')) {
        throw new AuditUsageError('--observer must name the observer');
      }
      const commitment = commitSeedContribution(opts.observer, opts.digits, nonce);
      if (opts.json === true) {
        printJson({ observer: opts.observer, commitment, nonce });
      } else {
        process.stdout.write(
          [
            `Commitment of ${opts.observer}: ${commitment}`,
            'Publish the commitment now. Keep the digits and this nonce secret until every',
            `observer's commitment is published, then reveal both: nonce ${nonce}`,
          ].join('\n') + '\n',
        );
      }
      setExit(0);
    });
  seed
    .command('combine')
    .description(
      'check every reveal of a ceremony file against its commitment and print the seed (exit 1 if the ceremony failed)',
    )
    .requiredOption(
      '--ceremony <file>',
      'JSON: {"commitments": [{"observer", "commitment"}…], "reveals": [{"observer", "digits", "nonce"}…]}',
    )
    .option('--json', 'print {ok, seed, observers} or {ok, problems} as JSON')
    .action(async (opts: { ceremony: string; json?: boolean }) => {
      const r = await seedOfCeremony(opts.ceremony);
      if (opts.json === true) printJson(r);
      else if (r.ok) {
        process.stdout.write(
          `Seed: ${r.seed}\n` +
            renderTable(
              ['#', 'Observer'],
              r.observers.map((o, i) => [i + 1, o]),
            ) +
            '\n',
        );
      } else {
        process.stdout.write(
          `The ceremony failed:\n${r.problems.map((p) => `  ${p}`).join('\n')}\n`,
        );
      }
      setExit(r.ok ? 0 : 1);
    });
}

/** The seed of `--seed` or `--ceremony` (exactly one). */
export async function resolveSeed(opts: { seed?: string; ceremony?: string }): Promise<string> {
  if ((opts.seed === undefined) === (opts.ceremony === undefined)) {
    throw new AuditUsageError('give the seed with exactly one of --seed or --ceremony');
  }
  if (opts.seed !== undefined) {
    if (opts.seed === '') throw new AuditUsageError('--seed must not be empty');
    return opts.seed;
  }
  const r = await seedOfCeremony(opts.ceremony!);
  if (!r.ok) throw new AuditUsageError(`the seed ceremony failed:\n${r.problems.join('\n')}`);
  return r.seed;
}
