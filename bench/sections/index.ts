/** Every bench section, in the order the table prints them. */
import type { Section } from '../lib/figure.ts';
import { browserSection } from './browser.ts';
import { engineSection } from './engine.ts';
import { memorySection } from './memory.ts';
import { pageSection } from './page.ts';
import { simulatorSection } from './simulator.ts';
import { transportSection } from './transport.ts';

export const sections: Section[] = [transportSection, engineSection, simulatorSection, memorySection, pageSection, browserSection];
