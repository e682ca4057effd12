import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PublicRoute } from '@asyncops/platform';
import { TokenDocs, TokenEndpoint } from '../../../core/auth/token.controller';
import type { TokenResponse } from '../../../core/auth/token.dto';

/** Salesforce's token path, so Salesforce client libraries log in against the gateway unchanged. */
export const SALESFORCE_TOKEN_PATH = '/services/oauth2/token';

@ApiTags('auth')
@Controller()
@PublicRoute()
export class SalesforceTokenController extends TokenEndpoint {
  @Post(SALESFORCE_TOKEN_PATH.slice(1))
  @HttpCode(200)
  @ApiOperation({ summary: 'Get an access token on the Salesforce token path', operationId: 'issueSalesforceToken' })
  @TokenDocs()
  issueSalesforceToken(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    return this.issue(req, res);
  }
}
