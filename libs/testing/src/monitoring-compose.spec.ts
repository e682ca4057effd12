import { describeMonitoringServices } from './monitoring-compose';

/** docker-compose.yml's Prometheus and Grafana must match what the apps export. */
describeMonitoringServices();
