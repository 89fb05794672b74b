// /api/notifications: the signed-in user's bell (list, counts, mark read) and the daily digest of
// supervisors and admins. Every user sees only their own notifications: there is no user parameter.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { notificationsRoutes } from '../../contract/notifications.js'
import type { UserRole } from '../../db/schema.js'
import { unauthorized } from '../../errors.js'
import { actorOf } from '../../routes/actor.js'
import { parseDay } from '../../routes/query.js'
import { flagSettings } from '../flags/settings.js'
import { digest } from './service-digest.js'
import { listNotifications, markRead, notificationSummary, type Recipient } from './service-read.js'

const EVERYONE: readonly UserRole[] = ['admin', 'supervisor', 'inspector', 'viewer', 'unit_officer']
const DIGEST_READERS: readonly UserRole[] = ['admin', 'supervisor']

const notifications: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx
  const settings = flagSettings(ctx.config)
  const tags = ['notifications']
  const me = (request: FastifyRequest): Recipient => {
    const u = request.user
    if (!u) throw unauthorized()
    return { id: u.id, login: u.login, role: u.role, personId: u.personId ?? null }
  }

  app.get(
    '/notifications',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags,
        summary: 'My notifications, newest first (reminders first: they are about now); unread=true for unread only',
        ...notificationsRoutes['GET /api/notifications'],
      },
    },
    async (request) => listNotifications(ctx.db, settings, me(request), request.query, ctx.now()),
  )

  app.get(
    '/notifications/summary',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags,
        summary: 'My unread notifications: the total (the bell badge) and the count per kind',
        ...notificationsRoutes['GET /api/notifications/summary'],
      },
    },
    async (request) => notificationSummary(ctx.db, settings, me(request), ctx.now()),
  )

  app.post(
    '/notifications/read',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags,
        summary: 'Mark my notifications read: by id, reminders by key, or all created up to a time',
        ...notificationsRoutes['POST /api/notifications/read'],
      },
    },
    async (request) => markRead(ctx.db, settings, me(request), actorOf(request), request.body, ctx.now()),
  )

  app.get(
    '/notifications/digest',
    {
      config: { access: { roles: DIGEST_READERS } },
      schema: {
        tags,
        summary:
          "The day's digest of my cells (admins: everywhere): yesterday's events, today's deadlines, patrols behind",
        ...notificationsRoutes['GET /api/notifications/digest'],
      },
    },
    async (request) => {
      const date = parseDay('date', request.query.date) ?? ctx.today()
      return digest(ctx.db, ctx.config.serviceTimeZone, me(request), date)
    },
  )
}
export default notifications
