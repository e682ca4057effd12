import { Controller, Get, HttpCode, HttpStatus, Inject, Logger, Module, DynamicModule, Provider, Res, SetMetadata } from '@nestjs/common';
import type { Response } from 'express';

/** Marks a route as reachable without authentication. */
export const PUBLIC_ROUTE = 'asyncops:public-route';
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

export interface HealthIndicator {
  readonly name: string;
  /** Resolves when the dependency is usable; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

@Controller('health')
@PublicRoute()
export class HealthController {
  private readonly log = new Logger('Health');

  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[]) {}

  @Get('live')
  @HttpCode(HttpStatus.OK)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const results = await Promise.all(
      this.indicators.map(async (i) => {
        try {
          await withTimeout(i.check(), 2000);
          return [i.name, { status: 'up' }] as const;
        } catch (e) {
          // The route is public: callers learn which dependency is down, never why (host names,
          // error texts); the reason goes to the log for operators.
          this.log.warn({ msg: 'readiness check failed', event: 'readiness-check-failed', dependency: i.name, reason: (e as Error).message });
          return [i.name, { status: 'down' }] as const;
        }
      }),
    );
    const ok = results.every(([, r]) => r.status === 'up');
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(results) };
  }
}

@Module({})
export class HealthModule {
  /** `indicators` are provider classes or tokens that resolve to HealthIndicator instances. */
  static forRoot(indicators: Array<Provider & { provide?: unknown }>, inject: unknown[]): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        ...indicators,
        {
          provide: HEALTH_INDICATORS,
          useFactory: (...found: HealthIndicator[]) => found,
          inject: inject as never[],
        },
      ],
    };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
