import { Type } from '@sinclair/typebox'
import { Nullable, PRINTABLE_PATTERN } from '../common.schemas.js'

export const SignInBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 64, pattern: PRINTABLE_PATTERN }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)

export const SessionUser = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  displayName: Type.String(),
  role: Type.Union([
    Type.Literal('admin'),
    Type.Literal('supervisor'),
    Type.Literal('inspector'),
    Type.Literal('viewer'),
  ]),
  personId: Nullable(Type.Integer()),
  isDemo: Type.Boolean(),
})

export const SessionResponse = Type.Object({
  user: SessionUser,
  csrfToken: Type.String({ description: 'send as the X-CSRF-Token header with every state-changing request' }),
  expiresAt: Type.String({ format: 'date-time' }),
  token: Type.Optional(Type.String({ description: 'bearer token for API clients (only on sign-in)' })),
})
