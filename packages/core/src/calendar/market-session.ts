import { z } from 'zod';

/**
 * Where a market stands at an instant:
 *
 * - `pre` — pre-market trading (US equities 04:00–09:30 New York);
 * - `regular` — the regular session (US equities 09:30–16:00, or 09:30–13:00 on an early close;
 *   crypto always; fx from Sunday 17:00 to Friday 17:00 New York);
 * - `post` — after-hours trading (16:00–20:00, or 13:00–17:00 after an early close);
 * - `closed` — no trading;
 * - `unknown` — an exchange the calendar does not model (a symbol with an exchange suffix such as
 *   `WSU.DE`); callers should treat it conservatively, e.g. as possibly open with short cache TTLs.
 */
export const MarketSession = z.enum(['pre', 'regular', 'post', 'closed', 'unknown']);
/** See {@link MarketSession}. */
export type MarketSession = z.infer<typeof MarketSession>;
