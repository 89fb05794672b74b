// Sign-in and sign-out: /api/session.
import { Type, type Static } from '@sinclair/typebox'
import { errorResponses, Nullable, PRINTABLE_PATTERN, UserRole, type RouteContract } from './common.js'

export const SignInBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 64, pattern: PRINTABLE_PATTERN }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
export type SignInBody = Static<typeof SignInBody>

export const SessionUser = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  displayName: Type.String(),
  role: UserRole,
  personId: Nullable(Type.Integer()),
  isDemo: Type.Boolean(),
})
export type SessionUser = Static<typeof SessionUser>

export const SessionResponse = Type.Object({
  user: SessionUser,
  csrfToken: Type.String({ description: 'send as the X-CSRF-Token header with every state-changing request' }),
  expiresAt: Type.String({ format: 'date-time' }),
  token: Type.Optional(Type.String({ description: 'bearer token for API clients (only on sign-in)' })),
})
export type Session = Static<typeof SessionResponse>

export const sessionRoutes = {
  'POST /api/session': { body: SignInBody, response: { 200: SessionResponse, ...errorResponses } },
  'GET /api/session': { response: { 200: SessionResponse, ...errorResponses } },
  'DELETE /api/session': { response: { 204: Type.Null(), ...errorResponses } },
} satisfies Record<string, RouteContract>
