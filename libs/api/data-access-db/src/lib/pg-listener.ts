import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { dbConfig, type DbSettings } from './db.config';

const RECONNECT_MS = 2_000;

/**
 * LISTEN on a channel over a connection of its own, calling back on every notification. A
 * notification is only a hint (workers also poll), so a lost connection is logged and opened
 * again after a pause, and never takes the process down.
 */
@Injectable()
export class PgListener implements OnApplicationShutdown {
  private readonly logger = new Logger('Listener');
  private readonly clients = new Set<Client>();
  private stopped = false;

  constructor(@Inject(dbConfig.KEY) private readonly settings: DbSettings) {}

  /** Starts listening on `channel`; `onNotify` also runs after each reconnection, for what was missed. */
  listen(channel: string, onNotify: () => void): void {
    void this.connect(channel, onNotify);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.clients].map((client) => client.end().catch(() => undefined)));
  }

  private async connect(channel: string, onNotify: () => void): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.settings.url,
      connectionTimeoutMillis: this.settings.connectTimeoutMs,
      application_name: 'dropgate-api-listen',
    });
    this.clients.add(client);
    let retried = false;
    const retry = (error?: Error) => {
      if (retried) return;
      retried = true;
      this.clients.delete(client);
      client.end().catch(() => undefined);
      if (this.stopped) return;
      if (error) this.logger.warn(`LISTEN ${channel} lost (${error.message}); reconnecting`);
      setTimeout(() => void this.connect(channel, onNotify), RECONNECT_MS).unref();
    };
    client.on('error', retry);
    client.on('end', () => retry());
    client.on('notification', () => onNotify());
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      onNotify();
    } catch (error) {
      retry(error as Error);
    }
  }
}
