import type { EngineLogger } from '../../observability/logger.ts';
import { claimEvents, markDispatched, pruneEvents } from '../../store/events.ts';
import type { EngineEvent } from '../../store/events.ts';
import type { Queryable, Store } from '../../store/store.ts';

/**
 * Reacts to one event inside the transaction that marks it dispatched, so what it writes (a workflow run) commits
 * with the mark: an event leads to its effect exactly once, even across crashes and several engines.
 */
export type EventHandler = (event: EngineEvent, tx: Queryable) => Promise<void>;

/**
 * Whether a handler has anything to do with an event, asked before its savepoint: an alert storm brings thousands
 * of incident events, and most have no workflow to start.
 */
export type EventFilter = (event: EngineEvent, tx: Queryable) => Promise<boolean>;

interface Subscription {
  handler: EventHandler;
  wants: EventFilter | undefined;
}

export interface EventDispatcherOptions {
  store: Store;
  logger: EngineLogger;
  clock?: () => Date;
  /** How often the outbox is read when nothing woke the dispatcher. */
  pollMs?: number;
  /** Events handled per transaction. */
  batch?: number;
  /** Dispatched events are kept this long (for debugging), then deleted. */
  retentionMs?: number;
  onDispatched?: (event: EngineEvent) => void;
}

const DEFAULTS = { pollMs: 1000, batch: 100, retentionMs: 24 * 3_600_000 };
// Pruning once a minute keeps the table small without a delete on every poll.
const PRUNE_EVERY_MS = 60_000;

/** Reads the outbox (engine_events) in order and hands each event to the handlers. */
export class EventDispatcher {
  private readonly subscriptions: Subscription[] = [];
  private readonly options: Required<Omit<EventDispatcherOptions, 'onDispatched'>> & Pick<EventDispatcherOptions, 'onDispatched'>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(options: EventDispatcherOptions) {
    // Each option is taken only when given: an explicit undefined keeps the default.
    this.options = {
      ...options,
      clock: options.clock ?? (() => new Date()),
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
      batch: options.batch ?? DEFAULTS.batch,
      retentionMs: options.retentionMs ?? DEFAULTS.retentionMs,
    };
  }

  subscribe(handler: EventHandler, wants?: EventFilter): void {
    this.subscriptions.push({ handler, wants });
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Reads the outbox now (after a write this engine made), instead of at the next poll. */
  wake(): void {
    if (this.stopped) {
      return;
    }
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Dispatches until the outbox is empty; returns how many events were handled (tests call it directly). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.dispatchBatch();
      total += handled;
      if (handled < this.options.batch) {
        return total;
      }
    }
  }

  /**
   * Runs the handlers on one event inside a savepoint: a handler that fails (a workflow that cannot start) is
   * rolled back and logged alone, so one bad event never holds up the ones behind it.
   */
  private async handle(event: EngineEvent, tx: Queryable): Promise<void> {
    for (const { handler, wants } of this.subscriptions) {
      if (wants !== undefined && !(await wants(event, tx))) {
        continue;
      }
      await tx.query('savepoint engine_event');
      try {
        await handler(event, tx);
        await tx.query('release savepoint engine_event');
      } catch (error) {
        await tx.query('rollback to savepoint engine_event');
        this.options.logger.error({ err: error, event: event.kind, subject: event.subject }, 'an event handler failed; the event is not retried');
      }
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        if (!this.stopped) {
          this.schedule(this.again ? 0 : this.options.pollMs);
          this.again = false;
        }
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.drain();
      const now = this.options.clock().getTime();
      if (now - this.prunedAt >= PRUNE_EVERY_MS) {
        this.prunedAt = now;
        await pruneEvents(this.options.store, new Date(now - this.options.retentionMs));
      }
    } catch (error) {
      // The batch rolled back: its events stay in the outbox and are tried again at the next poll.
      this.options.logger.error({ err: error }, 'dispatching engine events failed; retrying at the next poll');
    }
  }

  private async dispatchBatch(): Promise<number> {
    const { store, batch, clock, onDispatched } = this.options;
    const events = await store.transaction(async (tx) => {
      const claimed = await claimEvents(tx, batch);
      for (const event of claimed) {
        await this.handle(event, tx);
      }
      await markDispatched(
        tx,
        claimed.map((event) => event.id),
        clock()
      );
      return claimed;
    });
    for (const event of events) {
      onDispatched?.(event);
    }
    return events.length;
  }
}
