import { InjectionToken } from '@angular/core';

/**
 * Work to finish before the session ends at sign-out, such as forgetting what this browser keeps
 * for the person (multi: each feature adds its own). Each task gets a few seconds; signing out
 * never waits longer, and a task that fails does not stop it.
 */
export const SIGN_OUT_TASKS = new InjectionToken<readonly (() => Promise<void>)[]>('SIGN_OUT_TASKS');

/** How long sign-out waits for its tasks. */
export const SIGN_OUT_TASKS_TIMEOUT_MS = 3000;

/** Runs every task, each bounded by `timeoutMs`; never rejects. */
export async function runSignOutTasks(
  tasks: readonly (() => Promise<void>)[],
  timeoutMs = SIGN_OUT_TASKS_TIMEOUT_MS,
): Promise<void> {
  await Promise.all(
    tasks.map((task) =>
      Promise.race([
        Promise.resolve().then(task),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs)),
      ]).catch(() => undefined),
    ),
  );
}
