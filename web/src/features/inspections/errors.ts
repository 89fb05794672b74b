// A refusal as the inspection forms show it: in Chinese, the app's own words for the codes it knows
// (outside_campaign, outside_period…); otherwise, and in English, the server's message, which names the
// field and the value.
import { errorMessage } from '../../panels/errors.js'
import { lang, tKey } from '../../i18n/index.js'

export function formError(e: unknown): string {
  const { message, code } = errorMessage(e)
  return code && lang() === 'zh' ? tKey(`error_${code}`, message) : message
}
