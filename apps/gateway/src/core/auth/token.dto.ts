import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Documents the token request. The endpoint reads the body by hand rather than through a
 * validated DTO: OAuth requires unknown parameters to be ignored and errors to keep the OAuth shape.
 */
export class TokenRequestDoc {
  @ApiProperty({ enum: ['client_credentials'], example: 'client_credentials' })
  grant_type!: string;

  @ApiPropertyOptional({ example: 'dev-client', description: 'Omit when sending the credentials with HTTP Basic authentication.' })
  client_id?: string;

  @ApiPropertyOptional({ example: 'dev-secret', description: 'Omit when sending the credentials with HTTP Basic authentication.' })
  client_secret?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  issued_at: string;
  instance_url: string;
  id: string;
  /** Salesforce's: base64 HMAC-SHA256 of `id + issued_at` keyed with the client secret, so the client can check the answer. */
  signature: string;
}

export class TokenResponseDoc implements TokenResponse {
  @ApiProperty({ description: 'Send as "Authorization: Bearer <access_token>".' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({ example: 3600, description: 'Lifetime of the token in seconds.' })
  expires_in!: number;

  @ApiProperty({ example: '1718000000000', description: 'Issue time in milliseconds since the epoch, as a string (Salesforce style).' })
  issued_at!: string;

  @ApiProperty({ example: 'http://127.0.0.1:3000', description: 'The base URL to send API requests to.' })
  instance_url!: string;

  @ApiProperty({ example: 'http://127.0.0.1:3000/id/asyncops/dev-client', description: 'Identity URL naming the client.' })
  id!: string;

  @ApiProperty({ description: "Base64 HMAC-SHA256 of id + issued_at keyed with the client secret, as Salesforce's token response carries." })
  signature!: string;
}

export class OAuthErrorDoc {
  @ApiProperty({ enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'server_error', 'temporarily_unavailable'] })
  error!: string;

  @ApiProperty({ example: 'invalid client credentials' })
  error_description!: string;
}
