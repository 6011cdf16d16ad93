/** The task part of the rule editor: forms for RMF's patrol, delivery and clean; JSON otherwise. */
import { EditorField } from './FieldError';
import { CATEGORIES, type Category, type TaskDraft } from './taskDraft';

interface Props {
  draft: TaskDraft;
  onChange: (draft: TaskDraft) => void;
  errors: Record<string, string>;
}

export function TaskFields({ draft, onChange, errors }: Props) {
  const set = <K extends keyof TaskDraft>(key: K, value: TaskDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const text = (label: string, key: keyof TaskDraft, path: string) => (
    <EditorField label={label} path={path} errors={errors}>
      {(id, err) => (
        <input
          id={id}
          aria-describedby={err}
          aria-invalid={err !== undefined}
          value={draft[key]}
          onChange={(e) => set(key, e.target.value as never)}
        />
      )}
    </EditorField>
  );
  const c = draft.category;
  return (
    <fieldset>
      <legend>Task</legend>
      <EditorField label="Task category" path="task.request.category" errors={errors}>
        {(id) => (
          <select id={id} value={c} onChange={(e) => set('category', e.target.value as Category)}>
            {CATEGORIES.map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        )}
      </EditorField>
      {c === 'patrol' ? (
        <>
          {text('Places', 'places', 'task.request.description.places')}
          {text('Rounds', 'rounds', 'task.request.description.rounds')}
        </>
      ) : null}
      {c === 'delivery' ? (
        <>
          {text('Pickup place', 'pickupPlace', 'task.request.description.pickup.place')}
          {text('Pickup handler', 'pickupHandler', 'task.request.description.pickup.handler')}
          {text('Item (SKU)', 'sku', 'task.request.description.pickup.payload')}
          {text('Quantity', 'quantity', 'task.request.description.dropoff.payload')}
          {text('Drop-off place', 'dropoffPlace', 'task.request.description.dropoff.place')}
          {text('Drop-off handler', 'dropoffHandler', 'task.request.description.dropoff.handler')}
        </>
      ) : null}
      {c === 'clean' ? text('Zone', 'zone', 'task.request.description.zone') : null}
      {c === 'compose' ? (
        <EditorField label="Task JSON" path="task" errors={errors}>
          {(id, err) => (
            <textarea
              id={id}
              rows={16}
              spellCheck={false}
              aria-describedby={err}
              value={draft.json}
              onChange={(e) => set('json', e.target.value)}
            />
          )}
        </EditorField>
      ) : null}
    </fieldset>
  );
}
