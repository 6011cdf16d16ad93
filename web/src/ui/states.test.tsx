// The states of occurrences: each is told by words and a symbol as well as by colour.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StateBadge } from './StateBadge';
import { STATES, stateLook } from './states';

describe('occurrence states', () => {
  it('every state the API gives has its own label, symbol and colour', () => {
    const wire = [
      'scheduled',
      'disabled',
      'moved',
      'deleted',
      'claimed',
      'dispatched',
      'rejected',
      'timed_out',
      'failed',
      'missed',
      'skipped',
    ];
    expect(new Set(STATES)).toEqual(new Set(wire));
    const looks = wire.map(stateLook);
    expect(new Set(looks.map((l) => l.label)).size).toBe(wire.length);
    expect(new Set(looks.map((l) => l.symbol)).size).toBe(wire.length);
    expect(new Set(looks.map((l) => l.background)).size).toBe(wire.length);
  });

  it('the fired states read as an operator says them', () => {
    expect(stateLook('timed_out').label).toBe('Timed out');
    expect(stateLook('dispatched').label).toBe('Dispatched');
    expect(stateLook('missed').label).toBe('Missed');
  });

  it('a badge shows the words, not colour alone', () => {
    render(<StateBadge state="rejected" />);
    const badge = screen.getByText('Rejected', { exact: false });
    expect(badge.textContent).toContain('✗');
    expect(badge.style.background).not.toBe('');
  });

  it('a state this console does not know is shown by its name', () => {
    expect(stateLook('paused').label).toBe('paused');
  });

  it('white text on every colour keeps a contrast of at least 4.5:1', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const state of STATES) {
      const contrast = 1.05 / (luminance(stateLook(state).background) + 0.05);
      expect(contrast, state).toBeGreaterThanOrEqual(4.5);
    }
  });
});
