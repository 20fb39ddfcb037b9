export * from './cases.ts';
export * from './classifier.ts';
export * from './duplicates.ts';
export * from './mail.ts';
export * from './org.ts';
export * from './routing.ts';
export * from './sla.ts';
export * from './templates.ts';
