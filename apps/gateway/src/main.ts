import 'reflect-metadata';
import { JsonLogger, loadConfig, runService } from '@asyncops/platform';
import { AppModule } from './app.module';
import { devClientNotice } from './auth/auth.module';
import { ClientRegistry } from './auth/client-registry';
import { GatewayConfig } from './config';
import { configureHttp } from './http/configure-http';

void runService<GatewayConfig>({
  name: 'gateway',
  loadConfig: () => loadConfig('gateway', GatewayConfig),
  module: (config, logger) => AppModule.forRoot(config, logger),
  configure: (app, config, logger: JsonLogger) => {
    configureHttp(app, config, logger);
    if (app.get(ClientRegistry).devClientEnabled) {
      logger.warn({ msg: devClientNotice(config.PORT), event: 'dev-client-enabled' }, 'Auth');
    }
  },
});
