// The relay's peak memory over one stretch of a test: reset the kernel's high-water mark of its resident
// set (VmHWM, via /proc/<pid>/clear_refs, Linux), run the attack, read it again with processMemory.

import { writeFileSync } from 'node:fs';
import { processMemory } from './bystander';

/** Starts a new peak-RSS window for the process; returns its resident bytes now. */
export function resetPeakMemory(pid: number): number {
  // "5" resets the peak RSS (Documentation/filesystems/proc.rst, clear_refs).
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  return processMemory(pid).rssBytes;
}
