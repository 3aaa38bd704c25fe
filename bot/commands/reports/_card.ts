import type { ListItem } from '../_lib/list-card.js';
import type { CommandOutput } from '../types.js';
import type { Traffic } from './_engine.js';

/** Column styles Adaptive Cards 1.5 has (they colour the bar). */
export type BarStyle = 'accent' | 'good' | 'attention' | 'warning' | 'emphasis';

export interface Bar {
  label: string;
  count: number;
  /** Command a click on the bar runs (a drill-down). */
  open: string;
  style?: BarStyle;
}

export interface ReportView {
  title: string;
  subtitle: string;
  headline: { value: string; label: string; color: 'Good' | 'Warning' | 'Attention' | 'Default' | 'Accent' };
  /** Shown in warning colour under the headline (fallback used, partial data). */
  note?: string;
  sections: Array<{ title: string; bars: Bar[]; of?: number }>;
  topTitle?: string;
  top?: ListItem[];
  footer?: string;
  actions?: Array<{ title: string; command: string }>;
}

/** Bars per section and rows in the top list: keeps the card well under Teams' 28 KB. */
export const MAX_BARS = 8;
export const MAX_TOP = 10;

export const fmt = (n: number): string => n.toLocaleString('en-US');
export const pct = (part: number, whole: number): string =>
  whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`;

/**
 * Bars as proportional column widths (weights out of 100), largest first: the width is relative to `of` (the
 * population, so bars of one section compare with the headline), at least 1 so a small bucket stays visible.
 */
function barData(bars: Bar[], of: number | undefined) {
  const sorted = [...bars].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, MAX_BARS);
  const whole = of ?? Math.max(1, ...sorted.map((b) => b.count));
  return sorted.map((bar) => {
    const width = Math.max(1, Math.min(100, Math.round((bar.count / Math.max(1, whole)) * 100)));
    return {
      label: bar.label,
      value: of !== undefined ? `${fmt(bar.count)} · ${pct(bar.count, of)}` : fmt(bar.count),
      width,
      rest: 100 - width,
      style: bar.style ?? 'accent',
      open: bar.open,
    };
  });
}

export function trafficLine(traffic: Traffic, startedAt: number): string {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  return `${fmt(traffic.items)} objects read in ${fmt(traffic.requests)} Graph requests · ${seconds} s`;
}

export function reportOutput(view: ReportView, text: string): CommandOutput {
  return {
    card: 'report',
    data: {
      title: view.title,
      subtitle: view.subtitle,
      headline: view.headline,
      note: view.note ?? '',
      sections: view.sections
        .filter((s) => s.bars.length > 0)
        .map((s) => ({ title: s.title, bars: barData(s.bars, s.of) })),
      topTitle: view.topTitle ?? '',
      top: (view.top ?? []).slice(0, MAX_TOP),
      footer: view.footer ?? '',
      actions: view.actions ?? [],
    },
    text,
  };
}
