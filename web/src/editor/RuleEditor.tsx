/**
 * "New rule" / "Edit rule": name, labels, description, the schedule (every kind), the task, and a
 * live preview of the next occurrences from the server. Saving sends the rule to the API; a 422
 * shows on the fields it names.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, ApiError, unwrap, type RuleDetail } from '../api/client';
import { ErrorText } from '../ui/ErrorText';
import { zoneChoices } from '../ui/zones';
import { EditImpact } from './EditImpact';
import { EditorField } from './FieldError';
import { ScheduleFields } from './ScheduleFields';
import { SchedulePreview } from './SchedulePreview';
import { emptyDraft, fromWireSchedule, toWireSchedule, type ScheduleDraft } from './scheduleDraft';
import { TaskFields } from './TaskFields';
import { emptyTask, fromWireTask, TaskJsonError, toWireTask, type TaskDraft } from './taskDraft';

interface Draft {
  name: string;
  labels: string;
  description: string;
  schedule: ScheduleDraft;
  task: TaskDraft;
}

function draftOf(rule: RuleDetail | null, serviceZone: string): Draft {
  if (rule === null)
    return { name: '', labels: '', description: '', schedule: emptyDraft(serviceZone), task: emptyTask() };
  return {
    name: rule.name,
    labels: rule.labels.join(', '),
    description: rule.description,
    schedule: fromWireSchedule(rule.schedule, serviceZone),
    task: fromWireTask(rule.task),
  };
}

/** The API's 422 issues by field. */
function fieldErrors(error: unknown): Record<string, string> {
  if (error instanceof TaskJsonError) return { task: error.message };
  if (!(error instanceof ApiError)) return {};
  const issues = error.details.issues;
  const out: Record<string, string> = {};
  if (Array.isArray(issues))
    for (const i of issues as Array<{ field?: unknown; message?: unknown }>)
      if (typeof i.field === 'string') out[i.field] ??= String(i.message);
  if (error.field !== null) out[error.field] ??= error.message;
  return out;
}

function Form({ rule, serviceZone }: { rule: RuleDetail | null; serviceZone: string }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(rule, serviceZone));
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const zones = zoneChoices(serviceZone);
  const schedule = toWireSchedule(draft.schedule);
  const wire = (): Record<string, unknown> => ({
    name: draft.name,
    description: draft.description,
    labels: draft.labels
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    schedule,
    task: toWireTask(draft.task),
  });
  let editBody: Record<string, unknown> | null = null;
  try {
    editBody = rule === null ? null : wire();
  } catch {
    // A composed task's JSON that does not parse yet: nothing to try.
  }
  const save = useMutation({
    mutationFn: async () => {
      const body = wire() as never;
      if (rule === null) return unwrap(await api.POST('/rules', { body }));
      return unwrap(
        await api.PUT('/rules/{id}', {
          params: { path: { id: rule.id }, header: { 'If-Match': `"${rule.version}"` } as never },
          body,
        }),
      );
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries();
      navigate(`/rules/${saved.id}`);
    },
  });
  const errors = fieldErrors(save.error);
  const cancel = () => navigate(rule === null ? '/rules' : `/rules/${rule.id}`);
  return (
    <form
      className="editor"
      aria-label={rule === null ? 'New rule' : 'Edit rule'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h1>{rule === null ? 'New rule' : `Edit rule “${rule.name}”`}</h1>
      <div className="editor-columns">
        <div>
          <EditorField label="Name" path="name" errors={errors}>
            {(id, err) => (
              <input
                id={id}
                aria-describedby={err}
                aria-invalid={err !== undefined}
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              />
            )}
          </EditorField>
          <EditorField label="Labels" path="labels" errors={errors}>
            {(id) => (
              <input
                id={id}
                value={draft.labels}
                onChange={(e) => setDraft({ ...draft, labels: e.target.value })}
              />
            )}
          </EditorField>
          <EditorField label="Description" path="description" errors={errors}>
            {(id) => (
              <textarea
                id={id}
                value={draft.description}
                onChange={(e) => setDraft({ ...draft, description: e.target.value })}
              />
            )}
          </EditorField>
          <ScheduleFields
            draft={draft.schedule}
            onChange={(s) => setDraft({ ...draft, schedule: s })}
            errors={errors}
            zones={zones}
          />
          <TaskFields draft={draft.task} onChange={(t) => setDraft({ ...draft, task: t })} errors={errors} />
          <ErrorText error={save.error} />
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              Save
            </button>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
        <div>
          <SchedulePreview schedule={schedule} zone={draft.schedule.timezone} />
          {rule !== null && editBody !== null ? (
            <EditImpact
              ruleId={rule.id}
              version={rule.version}
              body={editBody}
              zone={draft.schedule.timezone}
            />
          ) : null}
        </div>
      </div>
    </form>
  );
}

export function RuleEditor({ id, serviceZone }: { id: string | null; serviceZone: string }) {
  const rule = useQuery({
    queryKey: ['rule', id, 'edit'],
    queryFn: async () =>
      unwrap(
        await api.GET('/rules/{id}', { params: { path: { id: id as string }, query: { upcoming: '0' } } }),
      ),
    enabled: id !== null,
    staleTime: Infinity,
  });
  if (id === null) return <Form rule={null} serviceZone={serviceZone} />;
  if (rule.error) return <ErrorText error={rule.error} />;
  return rule.data ? <Form key={rule.data.version} rule={rule.data} serviceZone={serviceZone} /> : null;
}
