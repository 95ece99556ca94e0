import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { DataAccessWebhooksModule } from './data-access-webhooks.module';
import { WebhookSender } from './webhook-sender';
import { WebhookTargets } from './webhook-targets';

describe('DataAccessWebhooksModule', () => {
  const saved = process.env;
  afterEach(() => (process.env = saved));

  const compile = (env: Record<string, string>) => {
    process.env = { ...saved, ...env };
    return Test.createTestingModule({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true }), DataAccessWebhooksModule],
    }).compile();
  };

  it('should build the targets and the sender from the environment, needing no secrets key', async () => {
    const sut = await compile({ WEBHOOK_ALLOWED_CIDRS: '10.0.0.0/8', WEBHOOK_SECRETS_KEY: '' });
    const targets = sut.get(WebhookTargets);
    expect(targets.check('https://10.1.2.3/hook').ok).toBe(true);
    expect(targets.check('https://127.0.0.1/hook').ok).toBe(false);
    expect(sut.get(WebhookSender)).toBeInstanceOf(WebhookSender);
    await sut.close();
  });
});
