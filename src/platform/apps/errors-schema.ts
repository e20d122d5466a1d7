import { Type } from 'typebox';

/** Error bodies the Platform API answers with, for /openapi.json. */
export const ErrorBody = Type.Object({ error: Type.String() }, { additionalProperties: true });
export const ValidationBody = Type.Object({ message: Type.String(), attributes: Type.Array(Type.String()) });

export const PLATFORM_ERRORS = {
  401: Type.Object({ error: Type.String() }, { description: 'Invalid access_token | Non permissible resource' }),
  404: Type.Object({ status: Type.Integer(), error: Type.String() }, { description: 'Not Found' }),
  422: ValidationBody,
};
