import { describe, expect, it } from 'vitest';
import { visibleRows } from './ZabView.tsx';

describe('ZabView windowing (visibleRows)', () => {
  it('renders the rows in the viewport and the overscan, nothing outside the list', () => {
    // 120 rows of 27 px starting 60 px into the pane, a 600 px viewport at the top
    expect(visibleRows(120, 27, 60, 0, 600)).toEqual({ first: 0, last: 28 });
    // scrolled to the middle: rows 53.. visible, 8 more each side
    expect(visibleRows(120, 27, 60, 60 + 53 * 27, 600)).toEqual({ first: 45, last: 84 });
    // scrolled to the end: the last row is rendered
    expect(visibleRows(120, 27, 60, 60 + 120 * 27 - 600, 600)).toEqual({ first: 89, last: 120 });
  });

  it('never gives a negative or inverted range', () => {
    expect(visibleRows(0, 27, 0, 0, 600)).toEqual({ first: 0, last: 0 });
    expect(visibleRows(5, 27, 10_000, 0, 600)).toEqual({ first: 0, last: 0 });
    expect(visibleRows(5, 27, 0, 100_000, 600)).toEqual({ first: 5, last: 5 });
    for (let top = -50; top < 4000; top += 137) {
      for (let scroll = 0; scroll < 4000; scroll += 211) {
        const { first, last } = visibleRows(120, 27, top, scroll, 700);
        expect(0 <= first && first <= last && last <= 120).toBe(true);
      }
    }
  });
});
