import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDoc } from './problem';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: every failed field and rule is listed in `errors`.',
  401: 'Missing, invalid or expired access token (see the WWW-Authenticate header).',
  404: 'No such operation for the authenticated client.',
  409: 'The request conflicts with the current state of the operation.',
  500: 'Internal error; quote the requestId when reporting it.',
  503: 'A backing service is unreachable; retry after the Retry-After delay.',
  504: 'A backing service did not answer in time; retry after the Retry-After delay.',
};

/** Documents problem+json answers for the given statuses. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDoc),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDoc) } } },
      }),
    ),
  );
}
