/**
 * How each occurrence state looks: a colour AND a symbol and words, so that no state is told by
 * colour alone. The colours keep a contrast of at least 4.5:1 with their white text.
 */
export interface StateLook {
  label: string;
  symbol: string;
  background: string;
  text: string;
}

const LOOKS: Record<string, StateLook> = {
  scheduled: { label: 'Scheduled', symbol: '◷', background: '#1d4ed8', text: '#ffffff' },
  disabled: { label: 'Disabled', symbol: '⊘', background: '#52525b', text: '#ffffff' },
  moved: { label: 'Moved', symbol: '↷', background: '#6d28d9', text: '#ffffff' },
  deleted: { label: 'Deleted', symbol: '🗑', background: '#3f3f46', text: '#ffffff' },
  claimed: { label: 'Sending', symbol: '⇢', background: '#0e7490', text: '#ffffff' },
  dispatched: { label: 'Dispatched', symbol: '✓', background: '#15803d', text: '#ffffff' },
  rejected: { label: 'Rejected', symbol: '✗', background: '#b91c1c', text: '#ffffff' },
  timed_out: { label: 'Timed out', symbol: '⌛', background: '#c2410c', text: '#ffffff' },
  failed: { label: 'Failed', symbol: '!', background: '#9f1239', text: '#ffffff' },
  missed: { label: 'Missed', symbol: '⚠', background: '#a16207', text: '#ffffff' },
  skipped: { label: 'Skipped', symbol: '⤼', background: '#57534e', text: '#ffffff' },
};

export const STATES = Object.keys(LOOKS);

/** The look of a state; a state this console does not know is shown by its own name. */
export function stateLook(state: string): StateLook {
  return LOOKS[state] ?? { label: state, symbol: '?', background: '#27272a', text: '#ffffff' };
}

/** Occurrences an operator may still change (not fired, not taken back for good). */
export const isChangeable = (state: string): boolean =>
  state === 'scheduled' || state === 'disabled' || state === 'moved';
