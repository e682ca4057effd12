import 'reflect-metadata';
import { describeComposeService } from '@asyncops/testing';
import { OrderPlacementConfig } from './config';

/** docker-compose.yml must run this app the way its config class expects. */
describeComposeService('order-placement', OrderPlacementConfig, { afterTracker: true });
