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
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=4', '--no-concurrent-recompilation'];
