import { localClamav } from './global-setup';
import { stopAll } from './servers';

export default async function globalTeardown(): Promise<void> {
  try {
    await stopAll();
  } finally {
    localClamav('reset');
  }
}
