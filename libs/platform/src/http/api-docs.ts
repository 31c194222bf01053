import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * The OpenAPI of a route says what it does, who may call it and what it refuses (docs/api.md). Every
 * route's decorators go through `ApiDoes` and `ApiProblems`; `npm run lint:openapi` (redocly.yaml) fails
 * when an operation lacks a summary, its callers (`x-callers`) or problem+json 4xx answers.
 */

/** RFC 9457: every refusal of the API is this media type (problem.filter.ts). */
export const PROBLEM_JSON = 'application/problem+json';

export class ProblemDto {
  @ApiProperty({ example: 'urn:cbec:problem:forbidden' }) type!: string;
  @ApiProperty({ example: 'Forbidden' }) title!: string;
  @ApiProperty({ example: 403 }) status!: number;
  @ApiProperty({ example: 'forbidden' }) code!: string;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'every field or row problem' })
  errors?: Array<Record<string, unknown>>;
  @ApiPropertyOptional({ description: 'what the caller can do about it (a 401 for a token of another data folder says how to mint one)' })
  hint?: string;
}

/**
 * What the route does, and who may call it: the summary, the callers as `x-callers` and in the description.
 * `public`: the route takes no token (`security: []` overrides the document's bearer requirement).
 */
export function ApiDoes(summary: string, options: { callers: string; description?: string; public?: boolean }): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary,
      description: [options.description, `Who may call: ${options.callers}.`].filter(Boolean).join('\n\n'),
      ...(options.public ? { security: [] } : {}),
    }),
    ApiExtension('x-callers', options.callers),
  );
}

/** The route's refusals by status (400-599), each answered as a problem+json body; an undefined entry is none. */
export function ApiProblems(problems: Readonly<Record<number, string | undefined>>): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...Object.entries(problems)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([status, description]) =>
        ApiResponse({ status: Number(status), description, content: { [PROBLEM_JSON]: { schema: { $ref: getSchemaPath(ProblemDto) } } } }),
      ),
  );
}

/** The refusals every authenticated route shares. */
export const AUTH_PROBLEMS = {
  401: "no token, an expired one, or one not signed by this server's data folder (mint it with the server's CBEC_DATA_DIR)",
} as const;
