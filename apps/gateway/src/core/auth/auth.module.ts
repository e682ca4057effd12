import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JsonLogger } from '@asyncops/platform';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, GatewayConfig } from '../../config';
import { AppKeyVerifier } from './app-key-verifier';
import { AuthThrottle, parseAuthThrottleSettings } from './auth-throttle';
import { BearerAuthGuard } from './auth.guard';
import { ClientRegistry } from './client-registry';
import { TokenController } from './token.controller';
import { TokenService } from './token.service';

@Module({
  controllers: [TokenController],
  providers: [
    { provide: ClientRegistry, useFactory: (config: GatewayConfig) => ClientRegistry.fromConfig(config), inject: [GatewayConfig] },
    {
      provide: TokenService,
      useFactory: (config: GatewayConfig, logger: JsonLogger) => {
        if (config.AUTH_TOKEN_SECRET) return new TokenService(config.AUTH_TOKEN_SECRET, config.AUTH_TOKEN_TTL_SECONDS);
        logger.warn(
          {
            msg: 'AUTH_TOKEN_SECRET is not set: access tokens are signed with a random key of this process; they stop working when it restarts and other replicas refuse them',
            event: 'random-token-secret',
          },
          'Auth',
        );
        return new TokenService(TokenService.randomKey(), config.AUTH_TOKEN_TTL_SECONDS);
      },
      inject: [GatewayConfig, JsonLogger],
    },
    {
      provide: AuthThrottle,
      useFactory: (config: GatewayConfig) => {
        const { settings, problems } = parseAuthThrottleSettings(config);
        if (!settings) throw new Error(`invalid authentication limits: ${problems.join('; ')}`);
        return new AuthThrottle(settings);
      },
      inject: [GatewayConfig],
    },
    {
      provide: AppKeyVerifier,
      useFactory: (clients: ClientRegistry, config: GatewayConfig) => new AppKeyVerifier(clients, Date.now, config.APP_KEY_CACHE_SIZE),
      inject: [ClientRegistry, GatewayConfig],
    },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [ClientRegistry, TokenService, AuthThrottle, AppKeyVerifier],
})
export class AuthModule {}

/** The start-up line that tells a developer how to get a token for the development client. */
export function devClientNotice(port: number): string {
  return (
    `No AUTH_CLIENTS configured: development client enabled (client_id "${DEV_CLIENT_ID}", client_secret "${DEV_CLIENT_SECRET}"). ` +
    `Get a token: curl -s -X POST http://127.0.0.1:${port}/oauth/token ` +
    `-d grant_type=client_credentials -d client_id=${DEV_CLIENT_ID} -d client_secret=${DEV_CLIENT_SECRET}`
  );
}
