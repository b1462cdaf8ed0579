import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const readOr = (path: string, fallback: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
};

/** The process and every process it spawned, still running (a forking server is measured whole). */
function processTree(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`, { withFileTypes: true }).flatMap((task) =>
    readOr(`/proc/${pid}/task/${task.name}/children`, '').split(' ').filter(Boolean).map(Number),
  );
  return [pid, ...children.flatMap((child) => (readOr(`/proc/${child}/stat`, '') ? processTree(child) : []))];
}

/**
 * CPU seconds (user + system, all threads) a process has used, with its children: the running
 * ones' own time and the reaped ones' (cutime, cstime). Fields 14 to 17 of /proc/<pid>/stat,
 * counted after the parenthesised command name, which may hold spaces.
 */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) {
    const stat = readOr(`/proc/${member}/stat`, '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14 to 17.
    ticks += fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
  }
  return ticks / clockTicksPerSecond;
}

/** Resident set size of a process in bytes, from /proc (0 once it is gone). */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readOr(`/proc/${pid}/status`, ''));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Samples a process's RSS every intervalMs until stopped; returns the peak. */
export function sampleRss(pid: number, intervalMs = 100) {
  let peak = residentBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, residentBytes(pid));
  }, intervalMs);
  return {
    stop(): number {
      clearInterval(timer);
      return Math.max(peak, residentBytes(pid));
    },
  };
}
