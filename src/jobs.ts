import type { AppDeps } from './http/deps.ts';
import type { Mailer } from './infra/mailer.ts';
import type { JobDefinition } from './infra/queue.ts';

export interface JobDeps extends AppDeps {
  mailer: Mailer;
}

/** The one registry of background jobs; the worker starts all of them. */
export function allJobs(_deps: JobDeps): JobDefinition[] {
  return [];
}
