import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthenticatedClientId } from '../../../core/auth/authenticated-client.decorator';
import { ApiVersionPipe } from '../http/api-version.pipe';
import { SoqlPage, SoqlPages } from './soql-pages';

export { batchSizeOf, MIN_BATCH_SIZE } from './soql-pages';

/**
 * SOQL through Nest's router (SoqlPages does the work). The read edge answers the canonical form
 * of these routes before routing (see QueryEdge); everything it leaves comes here.
 */
@ApiTags('salesforce')
@Controller('services/data/:version')
export class QueryController {
  constructor(private readonly pages: SoqlPages) {}

  @Get('query')
  query(@Param('version', ApiVersionPipe) version: string, @Query('q') q: unknown, @Headers('sforce-query-options') options: string | undefined, @AuthenticatedClientId() clientId: string) {
    return this.run(() => this.pages.first(version, q, false, options, clientId));
  }

  @Get('queryAll')
  queryAll(@Param('version', ApiVersionPipe) version: string, @Query('q') q: unknown, @Headers('sforce-query-options') options: string | undefined, @AuthenticatedClientId() clientId: string) {
    return this.run(() => this.pages.first(version, q, true, options, clientId));
  }

  @Get('query/:locator')
  more(@Param('version', ApiVersionPipe) version: string, @Param('locator') locator: string, @AuthenticatedClientId() clientId: string) {
    return this.run(() => this.pages.next(version, locator, clientId));
  }

  @Get('queryAll/:locator')
  moreAll(@Param('version', ApiVersionPipe) version: string, @Param('locator') locator: string, @AuthenticatedClientId() clientId: string) {
    return this.run(() => this.pages.next(version, locator, clientId));
  }

  private async run(planned: () => ReturnType<SoqlPages['first']>): Promise<SoqlPage> {
    return planned().run();
  }
}
