/**
 * How an async fake's submit answer carries the task id. The real APIs document one field
 * (Modellix `task_id`, APIXO `taskId`), but their own clients also read `taskId`, `task_id` and `id`,
 * as a string or a number (docs/providers.md §5.5 and §6.4), so the fakes can answer each way.
 */
export interface TaskIdKnobs {
  /** The field of `data` the id is sent in. */
  taskIdField: 'task_id' | 'taskId' | 'id';
  /**
   * - string: the fake's own `task-…` id;
   * - number: a JSON number (the task is stored under its decimal digits);
   * - unsafeNumber: a JSON number too large for a double (20 digits), which no JavaScript client can
   *   read exactly: a client must not poll a rounded id, since that would be someone else's task.
   */
  taskIdType: 'string' | 'number' | 'unsafeNumber';
}

export const defaultTaskIdKnobs = (field: TaskIdKnobs['taskIdField']): TaskIdKnobs => ({ taskIdField: field, taskIdType: 'string' });

let nextNumericId = 41_000;

/** The id a new task gets under these knobs; undefined keeps the fake's own string id. */
export function taskIdFor(knobs: TaskIdKnobs): string | undefined {
  if (knobs.taskIdType === 'number') return String((nextNumericId += 1));
  if (knobs.taskIdType === 'unsafeNumber') return `1234567890123456789${(nextNumericId += 1) % 10}`;
  return undefined;
}

/**
 * The JSON text of a submit answer: `envelope` around `data`, with the id (none when undefined: the
 * noTaskId fault) in the knobs' field and type.
 */
export function submitAnswer(envelope: Record<string, unknown>, data: Record<string, unknown>, id: string | undefined, knobs: TaskIdKnobs): string {
  if (id === undefined) return JSON.stringify({ ...envelope, data });
  if (knobs.taskIdType === 'string') return JSON.stringify({ ...envelope, data: { ...data, [knobs.taskIdField]: id } });
  // Raw digits in the JSON text: JSON.stringify could not write a 20-digit number exactly.
  return JSON.stringify({ ...envelope, data: { ...data, [knobs.taskIdField]: '__TASK_ID__' } }).replace('"__TASK_ID__"', id);
}
