import { useId, type ReactElement } from 'react';

/** Whether an error's field (`schedule.times[0]`, `task.request.description.places`) is at or in `path`. */
export const within = (field: string, path: string): boolean =>
  field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);

/**
 * A labelled editor field and the API's error for it, when the last save named this field (or
 * anything inside it: `schedule.times` shows the error of `schedule.times[0]`).
 */
export function EditorField({
  label,
  path,
  errors,
  children,
}: {
  label: string;
  path: string;
  errors: Record<string, string>;
  children: (id: string, describedBy: string | undefined) => ReactElement;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const message = Object.entries(errors).find(([field]) => within(field, path))?.[1];
  return (
    <div className={message ? 'editor-field invalid' : 'editor-field'}>
      <label htmlFor={id}>{label}</label>
      {children(id, message ? errorId : undefined)}
      {message ? (
        <span id={errorId} className="error" role="alert">
          {message}
        </span>
      ) : null}
    </div>
  );
}
