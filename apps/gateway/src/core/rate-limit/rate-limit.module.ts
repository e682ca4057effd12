import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { GatewayConfig } from '../../config';
import { ClientRateLimit } from './client-rate-limit';
import { parseRateLimitSettings, RATE_LIMIT_SETTINGS, RateLimitSettings } from './rate-limit-config';
import { RateLimitInterceptor } from './rate-limit.interceptor';
import { TokenBuckets } from './token-bucket';

/** Per-client rate limiting on every route; the settings were validated with the rest of the config at start-up. */
@Module({
  providers: [
    {
      provide: RATE_LIMIT_SETTINGS,
      useFactory: (config: GatewayConfig): RateLimitSettings => {
        const { settings, problems } = parseRateLimitSettings(config);
        if (!settings) throw new Error(`invalid rate limit configuration: ${problems.join('; ')}`);
        return settings;
      },
      inject: [GatewayConfig],
    },
    { provide: TokenBuckets, useFactory: () => new TokenBuckets() },
    ClientRateLimit,
    { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
  ],
  // Read by Salesforce's `/limits`, which reports a client's own bucket.
  exports: [RATE_LIMIT_SETTINGS, TokenBuckets, ClientRateLimit],
})
export class RateLimitModule {}
