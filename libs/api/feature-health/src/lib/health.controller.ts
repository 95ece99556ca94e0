import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiProblemResponses,
  NOT_READY,
  ProblemException,
  Public,
  SkipRateLimit,
  problem,
  problemFor,
} from '@dropgate/api/util-http';
import type { ProblemCode } from '@dropgate/shared/api-contract';
import { DrainService } from './drain.service';
import { ReadinessProbe, type Dependency, type ScannerState } from './readiness-probe';

const CODES: Record<Dependency, ProblemCode> = {
  storage: 'storage.unavailable',
  database: 'database.unavailable',
};

interface Ready {
  status: 'ok';
  info: Record<Dependency, { status: 'up' }> & { scanner: { status: ScannerState } };
}

// Not rate limited: load balancers probe from few addresses, and a probe costs at most one
// HeadBucket and one query a second however often it is called.
@ApiTags('health')
@SkipRateLimit()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessProbe,
    private readonly drain: DrainService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process is up and serving' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Readiness: the bucket answers HeadBucket, the database is migrated and answers, and the server is not draining. Checked at most once a second; a 503 names the dependency that is down, and the log says why. The scanner is reported (up, down, or off) but does not decide readiness: while it is down, uploads are accepted and wait in `scanning`',
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        info: { storage: { status: 'up' }, database: { status: 'up' }, scanner: { status: 'up' } },
      },
    },
  })
  @ApiProblemResponses(503)
  async ready(): Promise<Ready> {
    if (this.drain.draining) {
      throw problemFor('server.draining', 'The server is shutting down');
    }
    const { failing, scanner } = await this.readiness.check();
    if (failing.length) {
      throw new ProblemException(
        problem(
          NOT_READY.status,
          NOT_READY.kind,
          NOT_READY.title,
          `Not ready: ${failing.join(', ')}`,
          failing.map((name) => ({ field: '', code: CODES[name], message: `${name} is not ready` })),
        ),
      );
    }
    return {
      status: 'ok',
      info: { storage: { status: 'up' }, database: { status: 'up' }, scanner: { status: scanner } },
    };
  }
}
