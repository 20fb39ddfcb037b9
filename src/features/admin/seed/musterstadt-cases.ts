import type { DemoCase } from './case-types.ts';
import { casesWeeks2to0 } from './cases-weeks-2-0.ts';
import { casesWeeks4to3 } from './cases-weeks-4-3.ts';
import { casesWeeks6to5 } from './cases-weeks-6-5.ts';

/** The demo town's concerns of the last six weeks (split in files only to keep each one short). */
export const demoCases: DemoCase[] = [...casesWeeks6to5, ...casesWeeks4to3, ...casesWeeks2to0];
