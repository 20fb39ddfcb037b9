export * from './cases.ts';
export * from './mail.ts';
export * from './org.ts';
export * from './routing.ts';
export * from './templates.ts';
