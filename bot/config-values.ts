import { z } from 'zod';

/** An environment value that may be unset or blank (both mean "not configured"). */
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Plain http is accepted only for stand-ins on this machine; everything else must be https. */
export const LOOPBACK_URL = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?(\/|$)/;
