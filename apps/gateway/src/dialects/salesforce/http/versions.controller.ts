import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PublicRoute } from '@asyncops/platform';
import { ApiVersionPipe, MIN_API_VERSION } from './api-version.pipe';

/** Release names of the versions this surface answers, as Salesforce's version list shows them. */
const RELEASES: Readonly<Record<number, string>> = {
  59: "Winter '24",
  60: "Spring '24",
  61: "Summer '24",
  62: "Winter '25",
  63: "Spring '25",
  64: "Summer '25",
  65: "Winter '26",
};

/** `GET /services/data` (versions) and `GET /services/data/vNN.N` (resources), which tools probe first. */
@ApiTags('salesforce')
@Controller('services/data')
export class VersionsController {
  // Salesforce lists its versions without a session.
  @Get()
  @PublicRoute()
  versions() {
    return Object.entries(RELEASES)
      .filter(([v]) => Number(v) >= MIN_API_VERSION)
      .map(([v, label]) => ({ label, url: `/services/data/v${v}.0`, version: `${v}.0` }));
  }

  @Get(':version')
  resources(@Param('version', ApiVersionPipe) version: string) {
    const base = `/services/data/v${version}`;
    return { sobjects: `${base}/sobjects`, query: `${base}/query`, queryAll: `${base}/queryAll` };
  }
}
