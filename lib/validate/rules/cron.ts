/**
 * A CronJob schedule as github.com/robfig/cron/v3 ParseStandard reads it, which is what
 * k8s.io/kubernetes pkg/apis/batch/validation validateScheduleFormat calls: five fields
 * (minute hour day-of-month month day-of-week) or a descriptor (@hourly ... @every 1h).
 * Returns the parser's complaint, or undefined when the schedule parses.
 */

interface Bounds { readonly min: number; readonly max: number; readonly names?: Readonly<Record<string, number>>; readonly what: string }

const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59, what: 'minute' },
  { min: 0, max: 23, what: 'hour' },
  { min: 1, max: 31, what: 'day of month' },
  { min: 1, max: 12, names: MONTHS, what: 'month' },
  { min: 0, max: 6, names: DAYS, what: 'day of week' },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
// A Go time.ParseDuration string: one or more numbers with units.
const GO_DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
// What Go's strings.Fields splits on (unicode.IsSpace): JavaScript's \s without U+FEFF, with U+0085.
const GO_SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export function cronScheduleProblem(spec: string): string | undefined {
  let schedule = spec;
  // robfig/cron/v3 Parse: a leading TZ=<zone> or CRON_TZ=<zone> names the schedule's time zone
  // (Kubernetes refuses it separately, pointing to spec.timeZone).
  const tz = /^(?:CRON_)?TZ=(\S*)\s*/.exec(schedule);
  if (tz) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz[1] });
    } catch {
      return `provided bad location ${tz[1]}`;
    }
    schedule = schedule.slice(tz[0].length);
  }
  if (schedule.startsWith('@')) {
    if (DESCRIPTORS.includes(schedule)) return undefined;
    if (schedule.startsWith('@every ')) {
      return GO_DURATION.test(schedule.slice('@every '.length)) ? undefined : `failed to parse duration ${schedule}`;
    }
    return `unrecognized descriptor: ${schedule}`;
  }
  const fields = schedule.split(GO_SPACES).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${schedule}`;
  for (let i = 0; i < 5; i++) {
    for (const expr of fields[i].split(',')) {
      const problem = rangeProblem(expr, FIELDS[i]);
      if (problem) return `${FIELDS[i].what}: ${problem}`;
    }
  }
  return undefined;
}

// robfig/cron/v3 getRange
function rangeProblem(expr: string, bounds: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  const lowAndHigh = rangeAndStep[0].split('-');
  if (lowAndHigh.length > 2) return `too many hyphens: ${expr}`;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    if (lowAndHigh.length > 1) return `too many hyphens: ${expr}`;
    start = bounds.min;
    end = bounds.max;
  } else {
    const low = parseIntOrName(lowAndHigh[0], bounds);
    if (typeof low === 'string') return low;
    start = low;
    if (lowAndHigh.length === 2) {
      const high = parseIntOrName(lowAndHigh[1], bounds);
      if (typeof high === 'string') return high;
      end = high;
    } else {
      end = start;
    }
  }
  if (rangeAndStep.length === 2) {
    const step = parseNonNegative(rangeAndStep[1]);
    if (typeof step === 'string') return step;
    if (step === 0) return `step of range should be a positive number: ${expr}`;
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1 && lowAndHigh[0] !== '*' && lowAndHigh[0] !== '?') end = bounds.max;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

// robfig/cron/v3 parseIntOrName: a name of the field's own table (an object literal, so only its
// own keys: "constructor" is no month), else a number.
function parseIntOrName(expr: string, bounds: Bounds): number | string {
  const name = expr.toLowerCase();
  return bounds.names && Object.hasOwn(bounds.names, name) ? bounds.names[name] : parseNonNegative(expr);
}

function parseNonNegative(expr: string): number | string {
  if (!/^[+-]?\d+$/.test(expr)) return `failed to parse int from ${expr}`;
  const n = Number(expr);
  return n < 0 ? `negative number (${n}) not allowed: ${expr}` : n;
}
