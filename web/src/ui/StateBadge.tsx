import { stateLook } from './states';

/** A state as a coloured badge with its symbol and words. */
export function StateBadge({ state }: { state: string }) {
  const look = stateLook(state);
  return (
    <span className="state-badge" style={{ background: look.background, color: look.text }}>
      <span aria-hidden="true">{look.symbol}</span> {look.label}
    </span>
  );
}
