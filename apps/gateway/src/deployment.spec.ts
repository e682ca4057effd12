import 'reflect-metadata';
import { describeComposeService } from '@asyncops/testing';
import { GatewayConfig } from './config';

/** docker-compose.yml must run this app the way its config class expects. */
describeComposeService('gateway', GatewayConfig, { afterTracker: true, published: true, readDatabase: true });
