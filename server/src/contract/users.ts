// Accounts (admin only): /api/users.
import { Type, type Static } from '@sinclair/typebox'
import { Code, errorResponses, Id, Nullable, PRINTABLE_PATTERN, UserRole, type RouteContract } from './common.js'

export const User = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  displayName: Type.String(),
  role: UserRole,
  personId: Nullable(Type.Integer()),
  isDemo: Type.Boolean(),
  disabled: Type.Boolean(),
})
export type User = Static<typeof User>

export const UserCreateBody = Type.Object(
  {
    login: Type.String({ minLength: 3, maxLength: 64, pattern: PRINTABLE_PATTERN }),
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    role: UserRole,
    personId: Type.Optional(Nullable(Id())),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)

export const LoginParams = Type.Object({ login: Code('login') })
export const PasswordBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
)

export const usersRoutes = {
  'GET /api/users': { response: { 200: Type.Array(User), ...errorResponses } },
  'POST /api/users': { body: UserCreateBody, response: { 201: User, ...errorResponses } },
  'PUT /api/users/:login/password': {
    params: LoginParams,
    body: PasswordBody,
    response: { 204: Type.Null(), ...errorResponses },
  },
} satisfies Record<string, RouteContract>
