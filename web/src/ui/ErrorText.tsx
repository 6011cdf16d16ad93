import { ApiError } from '../api/client';

/** What went wrong with a call, in the API's own words. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  const text =
    error instanceof ApiError
      ? `${error.message}${error.field ? ` (${error.field})` : ''}`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}
