import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { healthConfig, type HealthSettings } from './health.config';

/**
 * On SIGTERM/SIGINT, marks the server as draining so readiness fails, then waits the drain
 * period so a load balancer stops routing here before the server closes.
 */
@Injectable()
export class DrainService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private isDraining = false;

  constructor(@Inject(healthConfig.KEY) private readonly settings: HealthSettings) {}

  get draining(): boolean {
    return this.isDraining;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.isDraining = true;
    const { drainSeconds } = this.settings;
    this.logger.log(`${signal ?? 'shutdown'}: draining for ${drainSeconds} s before closing`);
    if (drainSeconds > 0) await new Promise((resolve) => setTimeout(resolve, drainSeconds * 1000));
  }
}
