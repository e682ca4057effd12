import { MAX_TRACK_ID_LENGTH, trackIdProblem } from './track-id';

describe('trackIdProblem (seed 003: <= 64 US-ASCII characters, none of : ; " \')', () => {
  it.each(['a', 'trace-4711/a.b_c', 'x'.repeat(MAX_TRACK_ID_LENGTH), 'with space', '!#$%&()*+,-./<=>?@[\\]^_`{|}~'])('accepts %j', (value) => {
    expect(trackIdProblem(value)).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['x'.repeat(MAX_TRACK_ID_LENGTH + 1), /at most 64 characters \(got 65\)/],
    ['a:b', /must not contain :/],
    ['a;b', /must not contain ;/],
    ['a"b', /must not contain "/],
    ["a'b", /must not contain '/],
    ['caf\u00e9', /US-ASCII/],
    ['tab\there', /US-ASCII/],
    ['new\nline', /US-ASCII/],
    ['del\u007f', /US-ASCII/],
  ])('refuses %j', (value, why) => {
    expect(trackIdProblem(value)).toMatch(why);
  });
});
