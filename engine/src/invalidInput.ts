/**
 * Input a caller sent that the engine cannot accept, with a message that says what and where
 * ("body/alerts/3/startsAt must be an RFC 3339 time"). The HTTP layer answers it with a 400.
 */
export class InvalidInput extends Error {
  override name = 'InvalidInput';
  readonly statusCode = 400;
}

export function invalidInput(message: string): InvalidInput {
  return new InvalidInput(message);
}

const MAX_QUOTED = 60;

/** A value from the request, quoted and cut short, for an error message. */
export function quote(value: string): string {
  return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
}
