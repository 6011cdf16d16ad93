/** Dragging an occurrence asks before it moves it. */
import type { Occurrence } from '../api/client';
import { ErrorText } from '../ui/ErrorText';
import { localTime } from '../ui/time';
import { useOccurrenceChange } from './useOccurrenceChange';

export interface PendingMove {
  occurrence: Occurrence;
  to: string;
}

export function MoveConfirm({ move, zone, onDone }: { move: PendingMove; zone: string; onDone: () => void }) {
  const change = useOccurrenceChange(move.occurrence.id);
  return (
    <div role="dialog" aria-modal="true" aria-label="Move this occurrence?" className="dialog">
      <h2>Move this occurrence?</h2>
      <p>
        {move.occurrence.rule_name}: from {localTime(move.occurrence.at, zone)} to {localTime(move.to, zone)}
      </p>
      <ErrorText error={change.error} />
      <div className="actions">
        <button
          type="button"
          disabled={change.isPending}
          onClick={() => change.mutate({ kind: 'move', at: move.to }, { onSuccess: onDone })}
        >
          Move
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}
