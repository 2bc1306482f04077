/** Every bench section, in the order the table prints them. */
import type { Section } from '../lib/figure.ts';
import { engineSection } from './engine.ts';
import { simulatorSection } from './simulator.ts';
import { transportSection } from './transport.ts';

export const sections: Section[] = [transportSection, engineSection, simulatorSection];
