/**
 * A description of the machine a benchmark ran on, printed in the report's
 * header and stored in its JSON (docs/performance.md): figures mean nothing
 * without the CPU, core count and JavaScript engine that produced them.
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';

/** The machine and runtime of a run. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  readonly date: string;
}

/** The CPU model from /proc/cpuinfo (Linux), else from os.cpus(). */
function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const match = /^model name\s*:\s*(.+)$/m.exec(info);
    if (match?.[1] !== undefined && match[1].trim() !== '') return match[1].trim();
  } catch {
    // Not Linux, or /proc unavailable: fall back to what libuv reports.
  }
  return cpus()[0]?.model.trim() ?? 'unknown';
}

/** Describes the current machine and runtime, dated now. */
export function describeMachine(now: Date = new Date()): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    date: now.toISOString(),
  };
}
