import { SCALE_SERVICE_INPUTS, workflowJson } from '../datasource/testing/workflowFixtures';
import { collectInputs, fieldOfRefusal, initialValues, inputFields, manualTrigger, stringHint } from './workflowInputs';

const fields = inputFields(SCALE_SERVICE_INPUTS);

describe('inputFields', () => {
  it('makes one typed field per property, in order, with required marks, defaults and descriptions', () => {
    expect(fields.map((field) => [field.name, field.kind, field.required])).toEqual([
      ['service', 'choice', true],
      ['replicas', 'number', true],
      ['namespace', 'text', false],
      ['ticket', 'text', false],
      ['notify', 'boolean', false],
      ['labels', 'json', false],
    ]);
    expect(fields[0]).toMatchObject({
      description: 'The service whose deployment is scaled',
      options: [
        { key: '"checkout"', label: 'checkout', value: 'checkout' },
        { key: '"payments"', label: 'payments', value: 'payments' },
        { key: '"orders"', label: 'orders', value: 'orders' },
      ],
    });
    expect(fields[1]).toMatchObject({ integer: true, minimum: 1, maximum: 20, default: 4 });
    expect(fields[2]).toMatchObject({ hint: 'pattern: ^[a-z0-9-]+$', default: 'shop' });
    expect(fields[5]).toMatchObject({ expects: 'object', description: 'Extra labels for the Rundeck job' });
  });

  it('uses the title as label, reads nullable types, and types what it cannot ask for as JSON', () => {
    const [named, nullable, mixed, list, choice] = inputFields({
      type: 'object',
      properties: {
        url: { type: 'string', title: 'Dashboard URL', format: 'uri', maxLength: 200 },
        note: { type: ['string', 'null'] },
        either: { type: ['string', 'number'], default: 3 },
        hosts: { type: 'array', items: { type: 'string' }, default: ['a'] },
        level: { enum: [1, 2, 'max'], default: 2 },
      },
    });
    expect(named).toMatchObject({ kind: 'text', label: 'Dashboard URL', hint: 'format: uri · at most 200 characters' });
    expect(nullable).toMatchObject({ kind: 'text', label: 'note' });
    expect(mixed).toMatchObject({ kind: 'json', default: 3 });
    expect(list).toMatchObject({ kind: 'json', expects: 'array' });
    expect(choice).toMatchObject({
      kind: 'choice',
      default: '2',
      options: [{ label: '1' }, { label: '2' }, { label: 'max' }],
    });
  });

  it('has no fields without properties, and finds the manual trigger', () => {
    expect(inputFields({ type: 'object' })).toEqual([]);
    expect(inputFields(undefined)).toEqual([]);
    const restart = workflowJson(0, 'restart-payments');
    expect(manualTrigger(restart?.triggers ?? [])).toMatchObject({ on: 'manual', inputs: { type: 'object' } });
    expect(manualTrigger([{ on: 'schedule', cron: '* * * * *' }])).toBeUndefined();
  });

  it('says what a string must look like', () => {
    expect(stringHint({ minLength: 2, maxLength: 64 })).toBe('2 to 64 characters');
    expect(stringHint({ minLength: 2 })).toBe('at least 2 characters');
    expect(stringHint({})).toBeUndefined();
  });
});

describe('the form’s values', () => {
  it('opens with the defaults, switches off unless their default is on', () => {
    expect(initialValues(fields)).toEqual({
      service: '',
      replicas: '4',
      namespace: 'shop',
      ticket: '',
      notify: true,
      labels: '',
    });
    expect(initialValues(inputFields({ type: 'object', properties: { dry: { type: 'boolean' } } }))).toEqual({
      dry: false,
    });
  });

  it('sends typed values, leaves out empty optional fields, and keeps switches as shown', () => {
    const values = { ...initialValues(fields), service: '"payments"', replicas: ' 6 ', labels: '{"team": "pay"}' };
    expect(collectInputs(fields, values)).toEqual({
      ok: true,
      inputs: { service: 'payments', replicas: 6, namespace: 'shop', notify: true, labels: { team: 'pay' } },
    });
  });

  it('names what to fix first: required fields, numbers, JSON', () => {
    const values = { ...initialValues(fields), replicas: '2.5', labels: '[1]' };
    expect(collectInputs(fields, values)).toEqual({
      ok: false,
      problems: {
        service: 'service is required',
        replicas: 'replicas must be a whole number',
        labels: 'labels must be a JSON object, like {"key": "value"}',
      },
    });
    const more = collectInputs(fields, { ...values, service: '"orders"', replicas: '21', labels: '{' });
    expect(more).toEqual({
      ok: false,
      problems: { replicas: 'replicas must be at most 20', labels: 'labels is not valid JSON' },
    });
    expect(collectInputs(fields, { ...values, service: '"x"', replicas: 'many', labels: '' })).toEqual({
      ok: false,
      problems: { service: 'service: pick one of the values', replicas: 'replicas must be a number' },
    });
    expect(collectInputs(fields, { ...values, service: '"x"', replicas: '0', labels: '' })).toMatchObject({
      problems: { replicas: 'replicas must be at least 1' },
    });
  });

  it('finds the input an engine refusal names', () => {
    expect(fieldOfRefusal('body/inputs/ticket must match pattern "^[A-Z]+-[0-9]+$"', fields)).toBe('ticket');
    expect(fieldOfRefusal("body/inputs must have required property 'service'", fields)).toBe('service');
    expect(fieldOfRefusal('body/inputs/other must be string', fields)).toBeUndefined();
    expect(fieldOfRefusal('Workflow "x" has no manual trigger', fields)).toBeUndefined();
  });
});
