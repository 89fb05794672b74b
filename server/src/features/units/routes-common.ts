// What every route file of the units feature shares: the app type and the two access policies.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { UserRole } from '../../db/schema.js'

export type UnitsApp = Parameters<FastifyPluginAsyncTypebox>[0]

/** Every signed-in role reads the loop's figures; anonymous visitors never (not even with the public map). */
export const LOOP_READERS: readonly UserRole[] = ['admin', 'viewer', 'inspector', 'supervisor', 'unit_officer']
export const READ = { access: { roles: LOOP_READERS } }
export const ADMIN = { access: { roles: ['admin'] as const } }
