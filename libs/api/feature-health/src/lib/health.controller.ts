import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import {
  ApiProblemResponses,
  ProblemException,
  Public,
  SkipRateLimit,
  problem,
} from '@dropgate/api/util-http';
import { DatabaseHealth } from '@dropgate/api/data-access-db';
import { DrainService } from './drain.service';
import { StorageHealthIndicator } from './storage.health';

@ApiTags('health')
@SkipRateLimit()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly storage: StorageHealthIndicator,
    private readonly drain: DrainService,
    private readonly database: DatabaseHealth,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process is up and serving' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Readiness: the bucket answers HeadBucket, the database is migrated and answers, and the server is not draining',
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        info: { storage: { status: 'up', bucket: 'uploads' }, database: { status: 'up' } },
      },
    },
  })
  @ApiProblemResponses(503)
  async ready(): Promise<HealthCheckResult> {
    if (this.drain.draining) {
      throw new ProblemException(
        problem(503, 'not-ready', 'Not ready', 'The server is shutting down', [
          { field: '', code: 'server.draining', message: 'The server is shutting down' },
        ]),
      );
    }
    const [result, databaseProblem] = await Promise.all([
      this.storage.check('storage'),
      this.database.problem(),
    ]);
    if (databaseProblem) {
      const message = `Database not ready: ${databaseProblem}`;
      throw new ProblemException(
        problem(503, 'not-ready', 'Not ready', message, [
          { field: '', code: 'database.unavailable', message },
        ]),
      );
    }
    if (result['storage']?.status !== 'up') {
      const reason = String(result['storage']?.['reason'] ?? 'unknown');
      const message = `Bucket ${this.storage.bucketName} cannot be reached: ${reason}`;
      throw new ProblemException(
        problem(503, 'not-ready', 'Not ready', message, [
          { field: '', code: 'storage.unavailable', message },
        ]),
      );
    }
    return this.health.check([() => result, () => ({ database: { status: 'up' as const } })]);
  }
}
