import { Cron } from 'croner';

/**
 * Cron expressions of schedule triggers: five fields, checked field by field so that a typo says which field is
 * wrong and what it allows; croner then checks the rest and computes the next time.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  // 7 is Sunday too, as in most crons.
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const FIELD_NAMES = FIELDS.map((field) => field.name).join(', ');

/** What is wrong with a cron expression, or undefined when it is a valid five-field one. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    return `has ${parts.length} field${parts.length === 1 ? '' : 's'}; a cron expression has five: ${FIELD_NAMES}`;
  }
  for (const [index, part] of parts.entries()) {
    const field = FIELDS[index];
    if (field === undefined) {
      continue;
    }
    const problem = fieldProblem(part, field);
    if (problem !== undefined) {
      return `${field.name} field ${JSON.stringify(part)}: ${problem}`;
    }
  }
  try {
    new Cron(expression, { paused: true });
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
  }
  return undefined;
}

/** A number or name out of range; anything else (L, W, #, ?) is left to croner. */
function fieldProblem(part: string, field: CronField): string | undefined {
  for (const item of part.split(',')) {
    const [range = '', step] = item.split('/');
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) {
      return `step ${JSON.stringify(step)} must be a positive number`;
    }
    for (const value of range.split('-')) {
      const problem = valueProblem(value, field);
      if (problem !== undefined) {
        return problem;
      }
    }
  }
  return undefined;
}

function valueProblem(value: string, field: CronField): string | undefined {
  const allowed = `${field.min}-${field.max}${field.names === undefined ? '' : ` or ${field.names[0]}-${field.names[field.names.length - 1]}`}`;
  if (value === '') {
    return `is missing a value (allowed: ${allowed}, *)`;
  }
  if (/^\d+$/.test(value)) {
    const number = Number(value);
    return number < field.min || number > field.max ? `${number} is out of range (allowed: ${allowed})` : undefined;
  }
  if (/^[a-z]{3}$/i.test(value) && !(field.names ?? []).includes(value.toLowerCase())) {
    return `${JSON.stringify(value)} is not a ${field.name} (allowed: ${allowed})`;
  }
  return undefined;
}

/** What is wrong with an IANA time zone name, or undefined. */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return undefined;
  } catch {
    return 'is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)';
  }
}

/** The first time after `after` that a valid cron expression matches, in `timezone` (default UTC). */
export function nextCronTime(expression: string, after: Date, timezone = 'UTC'): Date | undefined {
  const next = new Cron(expression, { paused: true, timezone }).nextRun(after);
  return next ?? undefined;
}
