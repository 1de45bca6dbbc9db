import {
  Alert,
  type AlertType,
  type Clock,
  EVENT_SCHEMA_VERSION,
  redact,
  type SdkEvent,
  systemClock,
  ValidationError,
} from '@stockade/core';

/** Options of {@link createAlertCenter}. */
export interface AlertCenterOptions {
  /** Receives every `alert.raised` and `alert.cleared` event (the manager forwards them to its listeners). */
  emit: (event: SdkEvent) => void;
  /** Source of time. @default systemClock */
  clock?: Clock;
}

/** What to raise. */
export interface AlertInput {
  /** The kind of condition. */
  type: AlertType;
  /** The provider (or other subject) concerned; omit for a condition of the whole SDK. @default none */
  subject?: string;
  /** How urgent. */
  severity: Alert['severity'];
  /** A sentence saying what is wrong and what to check; redacted before it leaves. */
  message: string;
}

/** Raised alerts, deduplicated, each ended by a clearing event; see {@link createAlertCenter}. */
export interface AlertCenter {
  /**
   * Raises an alert and emits `alert.raised`, unless the same type and subject is already active
   * (then nothing happens and `undefined` is returned). Returns the alert raised.
   */
  raise(input: AlertInput): Alert | undefined;
  /** Clears the active alert of that type and subject and emits `alert.cleared`; false (nothing emitted) when none is active. */
  clear(type: AlertType, subject: string | undefined, message: string): boolean;
  /** Whether an alert of that type and subject is active. */
  isActive(type: AlertType, subject?: string): boolean;
  /** Active alerts, oldest first. */
  active(): Alert[];
  /** How many alerts of each type are active (for the `stockade_alerts_active` gauge). */
  activeByType(): Partial<Record<AlertType, number>>;
}

/**
 * The id an alert of this type and subject has: `TYPE:SUBJECT`, or `TYPE` alone without a subject.
 * Stable, so a dashboard can pair each `alert.cleared` with its `alert.raised`.
 */
export function alertId(type: AlertType, subject?: string): string {
  return subject === undefined ? type : `${type}:${subject}`;
}

/**
 * Creates an {@link AlertCenter}. Alerts are events: a condition raises one `alert.raised` however
 * often it is seen again, and one `alert.cleared` when it ends.
 *
 * @example
 * const alerts = createAlertCenter({ emit: (e) => bus.emit(e.type, e) });
 * alerts.raise({ type: 'redis_down', severity: 'warning', message: 'Redis unreachable: serving from L1' });
 * alerts.raise({ type: 'redis_down', severity: 'warning', message: 'again' }); // undefined: already active
 * alerts.clear('redis_down', undefined, 'Redis reachable again');
 */
export function createAlertCenter(options: AlertCenterOptions): AlertCenter {
  if (typeof options?.emit !== 'function') {
    throw new ValidationError('createAlertCenter: emit must be a function receiving each alert event', [
      { path: 'emit', message: 'expected a function' },
    ]);
  }
  const clock = options.clock ?? systemClock;
  const active = new Map<string, Alert>();

  return {
    raise(input) {
      const id = alertId(input.type, input.subject);
      if (active.has(id)) return undefined;
      const at = Math.round(clock.now());
      const parsed = Alert.safeParse({ ...input, id, at, message: redact(input.message) });
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new ValidationError(
          `AlertCenter.raise: invalid alert — ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        );
      }
      const alert = parsed.data;
      active.set(id, alert);
      options.emit({ schemaVersion: EVENT_SCHEMA_VERSION, type: 'alert.raised', at, alert });
      return alert;
    },
    clear(type, subject, message) {
      const id = alertId(type, subject);
      if (!active.delete(id)) return false;
      options.emit({
        schemaVersion: EVENT_SCHEMA_VERSION,
        type: 'alert.cleared',
        at: Math.round(clock.now()),
        alertId: id,
        alertType: type,
        ...(subject === undefined ? {} : { subject }),
        message: redact(message),
      });
      return true;
    },
    isActive: (type, subject) => active.has(alertId(type, subject)),
    active: () => [...active.values()],
    activeByType() {
      const counts: Partial<Record<AlertType, number>> = {};
      for (const a of active.values()) counts[a.type] = (counts[a.type] ?? 0) + 1;
      return counts;
    },
  };
}
