import { InjectionToken, inject } from '@angular/core';
import { AuthSession, principalKey } from '@dropgate/web/data-access-auth';

/**
 * Whose resume points to read and write: the signed-in principal's key, or undefined when no one
 * is known (then nothing is remembered or offered).
 */
export const RESUME_OWNER = new InjectionToken<() => string | undefined>('RESUME_OWNER', {
  factory: () => {
    const session = inject(AuthSession);
    return () => {
      const principal = session.principal();
      return principal && principalKey(principal);
    };
  },
});
