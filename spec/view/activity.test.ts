import { marbles } from 'rxjs-marbles/jest';
import { navHidden$ } from '../../src/view/activity';

describe('navHidden$ (1 frame = 1 ms, hide after 3 ms here)', () => {
  it(
    'in a call: hides after the quiet time, shows on activity, restarts the countdown; always shown outside a call',
    marbles((m) => {
      const inCall = m.hot('   f 9ms t 19ms f 9ms t', { t: true, f: false });
      const activity = m.hot(' ----------------a-a--------------a', { a: 'move' });
      const unsub = '          ^ 49ms !';
      const expected = '       f 12ms h 2ms s 4ms h 8ms s 12ms h';
      //                       0 f; 10 t: shown, 13 hidden; 16 activity: shown; 18 again; 21 hidden; 30 f: shown; 40 t: 43 hidden
      m.expect(navHidden$(inCall, activity, 3), unsub).toBeObservable(expected, { f: false, h: true, s: false });
    }),
  );

  it(
    'never hides outside a call, whatever the activity',
    marbles((m) => {
      const inCall = m.hot('f', { f: false });
      const activity = m.hot('--a--a----a', { a: 1 });
      m.expect(navHidden$(inCall, activity, 3), '^-----------!').toBeObservable('f', { f: false });
    }),
  );

  it(
    'the real 3 s default, in virtual time',
    marbles((m) => {
      const inCall = m.hot('t', { t: true });
      m.expect(navHidden$(inCall, m.hot('-'), undefined), '^ 5s !').toBeObservable('f 2999ms h', { f: false, h: true });
    }),
  );
});
