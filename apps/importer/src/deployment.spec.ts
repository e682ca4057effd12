import 'reflect-metadata';
import { describeComposeService } from '@asyncops/testing';
import { ImporterConfig } from './config';

/** docker-compose.yml must run this app the way its config class expects. */
describeComposeService('importer', ImporterConfig, { afterTracker: true });
