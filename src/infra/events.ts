import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx, Tx } from './db.ts';
import type { Logger } from './log.ts';

/**
 * After-commit domain events (ADR 0007). A service emits an event on the transaction it writes
 * with; the event is held until that transaction commits and dropped if it rolls back, then handed
 * to whoever subscribed on the same database handle. So a reaction (deliver the outbox row, start
 * the SLA timers, tell the map) never runs for a change that did not happen, and the service that
 * emits does not know who listens.
 *
 * Each feature declares its events by augmenting this interface next to the code that emits them:
 *
 *     declare module '../../infra/events.ts' { interface DomainEvents { 'case.created': { caseId: number } } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in the features.
export interface DomainEvents {}
export type EventName = keyof DomainEvents;
export type DomainEvent = { [N in EventName]: { name: N; payload: DomainEvents[N] } }[EventName];
export type Subscriber<N extends EventName> = (payload: DomainEvents[N]) => Promise<void> | void;
/** Runs inside the emitting transaction: what it writes commits or rolls back with the change. */
export type TransactionSubscriber<N extends EventName> = (payload: DomainEvents[N], tx: Tx) => Promise<void> | void;

interface Bus {
  subscribers: Map<EventName, Subscriber<never>[]>;
  inTransaction: Map<EventName, TransactionSubscriber<never>[]>;
  log: Logger | null;
}

/** Per database handle (one per app instance: two apps in one test process do not hear each other). */
const buses = new WeakMap<object, Bus>();
/** Events of transactions still open, with the handle they belong to. */
const pending = new WeakMap<object, { root: object; events: DomainEvent[] }>();

function busOf(root: object): Bus {
  let bus = buses.get(root);
  if (!bus) {
    bus = { subscribers: new Map(), inTransaction: new Map(), log: null };
    buses.set(root, bus);
  }
  return bus;
}

/**
 * Makes `db.transaction` collect the events emitted inside it and dispatch them after commit.
 * Applied once where a database handle is opened (infra/db.ts).
 */
export function trackCommits(db: Db): Db {
  const original = db.transaction.bind(db);
  const transaction: Db['transaction'] = async (fn, config) => {
    const events: DomainEvent[] = [];
    const result = await original(async (tx) => {
      pending.set(tx, { root: db, events });
      trackSavepoints(tx, db, events);
      return fn(tx);
    }, config);
    await dispatch(db, events);
    return result;
  };
  db.transaction = transaction;
  return db;
}

/** A savepoint's events join the outer transaction's, but only if the savepoint itself committed. */
function trackSavepoints(tx: Tx, root: object, outer: DomainEvent[]): void {
  const original = tx.transaction.bind(tx);
  tx.transaction = async (fn) => {
    const inner: DomainEvent[] = [];
    const result = await original(async (nested) => {
      pending.set(nested, { root, events: inner });
      trackSavepoints(nested, root, inner);
      return fn(nested);
    });
    outer.push(...inner);
    return result;
  };
}

/**
 * Emits an event on `db`: inside a transaction it waits for the commit; on the plain handle (a
 * single statement, already committed) it is dispatched at once. Either way the caller's work is
 * done when a subscriber runs, and a failing subscriber is logged, never thrown back: the change
 * stands, and every reaction has a sweep as its safety net.
 */
export async function emit<N extends EventName>(db: DbOrTx, name: N, payload: DomainEvents[N]): Promise<void> {
  const event = { name, payload } as DomainEvent;
  const open = pending.get(db);
  if (open) {
    // Those that must write with the change run now, in its transaction; their errors roll it back.
    for (const subscriber of buses.get(open.root)?.inTransaction.get(name) ?? []) {
      await (subscriber as TransactionSubscriber<N>)(payload, db as Tx);
    }
    open.events.push(event);
    return;
  }
  if (db instanceof PgTransaction) throw new Error(`event ${name} emitted in a transaction not opened through a tracked handle`);
  if (buses.get(db)?.inTransaction.get(name)?.length) throw new Error(`event ${name} has subscribers that need a transaction`);
  await dispatch(db, [event]);
}

/** Subscribes to an event of this database handle; returns the unsubscribe. */
export function subscribe<N extends EventName>(db: Db, name: N, subscriber: Subscriber<N>): () => void {
  const bus = busOf(db);
  const list = bus.subscribers.get(name) ?? [];
  list.push(subscriber as Subscriber<never>);
  bus.subscribers.set(name, list);
  return () => {
    const at = list.indexOf(subscriber as Subscriber<never>);
    if (at >= 0) list.splice(at, 1);
  };
}

/**
 * Subscribes inside the emitting transaction, for reactions that must be atomic with the change
 * (the resolution notices in the outbox, the SLA clock). Such an event must be emitted in a transaction.
 */
export function subscribeInTransaction<N extends EventName>(db: Db, name: N, subscriber: TransactionSubscriber<N>): () => void {
  const bus = busOf(db);
  const list = bus.inTransaction.get(name) ?? [];
  list.push(subscriber as TransactionSubscriber<never>);
  bus.inTransaction.set(name, list);
  return () => {
    const at = list.indexOf(subscriber as TransactionSubscriber<never>);
    if (at >= 0) list.splice(at, 1);
  };
}

/** Where failing subscribers are reported (set once per handle by the process). */
export function setEventLog(db: Db, log: Logger): void {
  busOf(db).log = log;
}

async function dispatch(root: object, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const bus = buses.get(root);
  if (!bus) return;
  for (const event of events) {
    for (const subscriber of bus.subscribers.get(event.name) ?? []) {
      try {
        await (subscriber as Subscriber<typeof event.name>)(event.payload as never);
      } catch (err) {
        bus.log?.error({ err, event: event.name }, 'event subscriber failed');
      }
    }
  }
}
