import { useId, type ReactElement } from 'react';

/**
 * A labelled control: the label names it exactly (a label wrapping a select would add the
 * selected option's text to its accessible name).
 */
export function Field({
  label,
  children,
  className,
}: {
  label: string;
  children: (id: string) => ReactElement;
  className?: string;
}) {
  const id = useId();
  return (
    <span className={className ?? 'field'}>
      <label htmlFor={id}>{label}</label> {children(id)}
    </span>
  );
}
