import { cronScheduleProblem } from '../../../lib/validate/rules/cron';

// github.com/robfig/cron/v3 ParseStandard, as batch validateScheduleFormat calls it.
describe('cronScheduleProblem', () => {
  test.each([
    ['five fields with names, lists, ranges and steps', '*/15 0-6,22 1-31/2 JAN-mar,dec sun,SAT'],
    ['"?" for any value', '? ? ? ? ?'],
    ['a start with a step (start to the maximum)', '5/15 * * * *'],
    ['a range with a step', '5-10/2 * * * *'],
    ['a number with a plus sign', '+5 * * * *'],
    ['the lowest and highest value of each field', '0,59 0,23 1,31 1,12 0,6'],
    ['spaces and tabs around and between fields', '  0\t2  * * *  '],
    ['a next-line character (U+0085, a space to Go) between fields', '0 2 * *\u00850'],
    ['a vertical tab and a form feed between fields', '0\v2\f* * *'],
    ['a no-break space (U+00A0) and an ideographic space (U+3000) between fields', '0\u00a02 * *\u30000'],
    ['a TZ= time zone before the fields', 'TZ=UTC 0 2 * * *'],
    ['a CRON_TZ= time zone before a descriptor', 'CRON_TZ=Europe/Paris @daily'],
    ['a time zone and two spaces before a descriptor (robfig trims the rest)', 'TZ=UTC  @daily'],
    ...['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'].map((d) => [`the descriptor ${d}`, d]),
    ...['1h30m', '1.5h', '1.h', '.5s', '.25s', '10ms', '5us', '5\u00b5s', '5\u03bcs', '-1h', '+2m'].map((d) => [`@every ${d}`, `@every ${d}`]),
  ])('%s parses', (_what, schedule) => {
    expect(cronScheduleProblem(schedule)).toBeUndefined();
  });

  test.each([
    ['an unknown time zone', 'TZ=Nowhere/Land 0 2 * * *', 'provided bad location Nowhere/Land'],
    ['an unknown descriptor', '@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['a descriptor with a space after it', '@daily ', 'unrecognized descriptor: @daily '],
    ['@every without a duration', '@every', 'unrecognized descriptor: @every'],
    ['@every with a unit Go does not know', '@every 1d', 'failed to parse duration @every 1d'],
    ['@every with text after the duration', '@every 1h now', 'failed to parse duration @every 1h now'],
    ['@every with a bare number', '@every 5', 'failed to parse duration @every 5'],
    ['@every with text before the duration', '@every x1h', 'failed to parse duration @every x1h'],
    ['six fields', '0 0 2 * * *', 'expected exactly 5 fields, found 6: 0 0 2 * * *'],
    ['a TZ= that does not start the schedule (a sixth field)', 'xTZ=UTC 0 2 * * *', 'expected exactly 5 fields, found 6: xTZ=UTC 0 2 * * *'],
    ['no fields', '   ', 'expected exactly 5 fields, found 0:    '],
    // A byte-order mark (U+FEFF) is no space to Go's strings.Fields: it stays in its field.
    ['a byte-order mark after the last field', '0 2 * * *\ufeff', 'day of week: failed to parse int from *\ufeff'],
    ['a byte-order mark before the first field', '\ufeff0 2 * * *', 'minute: failed to parse int from \ufeff0'],
    ['two slashes', '1/2/3 * * * *', 'minute: too many slashes: 1/2/3'],
    ['two hyphens', '1-2-3 * * * *', 'minute: too many hyphens: 1-2-3'],
    ['a range from *', '*-5 * * * *', 'minute: too many hyphens: *-5'],
    ['a range from ?', '?-5 * * * *', 'minute: too many hyphens: ?-5'],
    ['a word in the minute field', 'x * * * *', 'minute: failed to parse int from x'],
    ['a month name in the minute field', 'jan * * * *', 'minute: failed to parse int from jan'],
    ['a range ending in a word', '0 1-x * * *', 'hour: failed to parse int from x'],
    ['a step that is a word', '*/x * * * *', 'minute: failed to parse int from x'],
    ['a number with text after it', '0 5x * * *', 'hour: failed to parse int from 5x'],
    ['a number with text before it', 'a5 * * * *', 'minute: failed to parse int from a5'],
    ['a range with a step running backwards (the step keeps its end)', '50-10/2 * * * *', 'minute: beginning of range (50) beyond end of range (10): 50-10/2'],
    ['a negative step', '*/-1 * * * *', 'minute: negative number (-1) not allowed: -1'],
    ['a step of 0', '5/0 * * * *', 'minute: step of range should be a positive number: 5/0'],
    ['day of month 0', '0 0 0 * *', 'day of month: beginning of range (0) below minimum (1): 0'],
    ['hour 24', '0 24 * * *', 'hour: end of range (24) above maximum (23): 24'],
    ['month 13', '0 0 * 13 *', 'month: end of range (13) above maximum (12): 13'],
    ['day of week 7', '0 0 * * 7', 'day of week: end of range (7) above maximum (6): 7'],
    ['a range running backwards', '10-5 * * * *', 'minute: beginning of range (10) beyond end of range (5): 10-5'],
    ['a start with a step beyond the maximum', '0 0 * 13/2 *', 'month: beginning of range (13) beyond end of range (12): 13/2'],
    ['a property every object has, as a month', '0 0 * constructor *', 'month: failed to parse int from constructor'],
    ['a property every object has, as a day of week', '0 0 * * toString', 'day of week: failed to parse int from toString'],
    ['the second item of a list out of range', '0,60 * * * *', 'minute: end of range (60) above maximum (59): 60'],
  ])('%s: %s', (_what, schedule, problem) => {
    expect(cronScheduleProblem(schedule)).toBe(problem);
  });
});
