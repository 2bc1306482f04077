/** Keyboard shortcuts (listed in HelpOverlay); ignored while typing in an input or editor. */
import { useEffect } from 'react';
import { leaderOf } from '../store/view-models.ts';
import { speeds } from '../store/store.ts';
import { useServices } from './services.ts';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable || !!el.closest?.('.monaco-editor');
}

export function useShortcuts(): void {
  const services = useServices();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const s = services.store.getState();
      if (e.key === 'Escape') {
        s.setHelp(false);
        return;
      }
      if (typing(e.target)) return;
      const i = speeds.indexOf(s.speed as (typeof speeds)[number]);
      switch (e.key) {
        case ' ': e.preventDefault(); s.togglePlay(); break;
        case 'n': void s.step(); break;
        case 'r': void services.freshRun(); break;
        case 'l': s.setMode(s.mode === 'live' ? 'lockstep' : 'live'); break;
        case '+': case '=': s.setSpeed(speeds[Math.min(speeds.length - 1, i + 1)] ?? 1); break;
        case '-': s.setSpeed(speeds[Math.max(0, i - 1)] ?? 1); break;
        case 't': s.setTheme(s.theme === 'dark' ? 'light' : 'dark'); break;
        case 'g': s.setLang(s.lang === 'en' ? 'zh' : 'en'); break;
        case 'k': {
          const l = leaderOf(s.status);
          if (l !== null) s.kill(l);
          break;
        }
        case '?': s.setHelp(!s.helpOpen); break;
        default:
          if (/^[1-9]$/.test(e.key) && s.status.some((x) => x.sid === Number(e.key))) s.select(Number(e.key));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [services]);
}
