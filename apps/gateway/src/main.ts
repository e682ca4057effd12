import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrate } from '@asyncops/persistence';
import { JsonLogger, loadConfig, runService } from '@asyncops/platform';
import { AppModule } from './app.module';
import { devClientNotice } from './core/auth/auth.module';
import { ClientRegistry } from './core/auth/client-registry';
import { GatewayConfig } from './config';
import { configureHttp } from './core/http/configure-http';
import { gatewayDataSourceOptions } from './core/idempotency/gateway-database';

void runService<GatewayConfig>({
  name: 'gateway',
  loadConfig: () => loadConfig('gateway', GatewayConfig),
  migrate: (config) => migrate(gatewayDataSourceOptions(config)),
  module: (config, logger) => AppModule.forRoot(config, logger),
  configure: async (app, config, logger: JsonLogger) => {
    // Created uninitialised by AppModule (see AppModuleOverrides.database); a database that is
    // down fails the start here, like every other service.
    await app.get(DataSource).initialize();
    configureHttp(app, config, logger);
    if (app.get(ClientRegistry).devClientEnabled) {
      logger.warn({ msg: devClientNotice(config.PORT), event: 'dev-client-enabled' }, 'Auth');
    }
  },
});
