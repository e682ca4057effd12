import { Global, Module } from '@nestjs/common';
import { DialectRegistry } from './dialect-registry';

/** The one registry every dialect module registers into; global, so a dialect needs no import for it. */
@Global()
@Module({ providers: [DialectRegistry], exports: [DialectRegistry] })
export class SurfacesModule {}
