/** Polls `read` until it gives a value (every 25 ms, for up to 5 s); fails naming `what` when it never does. */
export async function waitFor<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 200; tries++) {
    const found = await read();
    if (found !== undefined) {
      return found;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${what}: not seen in 5 s`);
}
