// How the built API is run, by `npm start` and by the bench alike.
import { join } from 'node:path';

export const API_MAIN = join(import.meta.dirname, '../../dist/apps/api/main.js');

/**
 * V8 settings that bound the API's memory under load (measured at 256 connections):
 * - `--max-semi-space-size=4`: V8 grows the young generation up to 64 MiB a semi-space under a
 *   high allocation rate and keeps it; that alone took the API from 150 MB to 280 MB resident.
 *   Requests allocate only short-lived objects, so 4 MiB semi-spaces cost a few more
 *   scavenges of about a millisecond each.
 * - `--no-concurrent-recompilation`: optimized code is otherwise compiled on background threads,
 *   each with its own malloc arena, and their scratch memory (about 7 MB a thread) stays
 *   resident after warm-up. Compiling on the main thread costs a few milliseconds once, then
 *   nothing.
 * - `--max-old-space-size=160`: under load V8 otherwise lets dead request objects pile up in the
 *   old generation until it holds about 250 MB before collecting it (peak RSS 345–366 MB at 256
 *   connections), though what is alive stays near 60 MB. With this cap it collects sooner: 176 MB
 *   at 256 connections, at the same rate. The cap leaves more than twice the live heap measured
 *   under that load; file bytes (scans, copies) are buffers outside it.
 */
export const API_NODE_FLAGS = [
  '--max-semi-space-size=4',
  '--no-concurrent-recompilation',
  '--max-old-space-size=160',
];
