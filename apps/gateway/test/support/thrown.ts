/** The error `f` throws, for a test to look into; throwing anything but a `type`, or nothing, fails the test. */
export function thrownBy<E>(type: abstract new (...args: never[]) => E, f: () => unknown): E {
  try {
    f();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}`);
}
