import { describe, expect, it } from 'vitest';
import { heldPoint, pointOnLink, visibleSpan } from './MessageLayer.tsx';

const card = (x: number, y: number): { x: number; y: number; hw: number; hh: number } => ({ x, y, hw: 100, hh: 65 });
const inside = (p: { x: number; y: number }, c: ReturnType<typeof card>): boolean => Math.abs(p.x - c.x) < c.hw && Math.abs(p.y - c.y) < c.hh;

describe('message layer geometry', () => {
  it('runs the two directions of a link on opposite sides', () => {
    const a = { x: 0, y: 0 };
    const b = { x: 100, y: 0 };
    expect(pointOnLink(a, b, 0.5)).toEqual({ x: 50, y: 5 });
    expect(pointOnLink(b, a, 0.5)).toEqual({ x: 50, y: -5 });
  });

  it('puts held messages on the part of the link no card covers, apart from each other', () => {
    const a = card(0, 0);
    const b = card(400, 120);
    const [from, to] = visibleSpan(a, b);
    expect(from).toBeCloseTo(0.25);
    expect(to).toBeCloseTo(0.75);
    const points = Array.from({ length: 12 }, (_, i) => heldPoint(a, b, i));
    for (const p of points) expect(inside(p, a) || inside(p, b)).toBe(false);
    for (let i = 0; i < points.length; i++) for (let j = i + 1; j < points.length; j++) expect(Math.hypot(points[i].x - points[j].x, points[i].y - points[j].y)).toBeGreaterThanOrEqual(18);
  });

  it('cards that overlap leave the middle of the link', () => {
    expect(visibleSpan(card(0, 0), card(50, 20))).toEqual([0.5, 0.5]);
    const p = heldPoint(card(0, 0), card(50, 20), 0);
    expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });
});
