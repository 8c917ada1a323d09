import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import { createApixoProvider } from '../../../src/providers/apixo/apixoProvider';
import { createModellixProvider } from '../../../src/providers/modellix/modellixProvider';
import type { ImageProvider, ProviderContext } from '../../../src/core/provider';
import { startFakeApixo } from '../../fake-providers/apixo';
import type { FakeCdn } from '../../fake-providers/cdn';
import type { FakeFault } from '../../fake-providers/control';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { RecordedRequest } from '../../fake-providers/server';
import type { TaskIdKnobs } from '../../fake-providers/taskIdAnswer';
import type { TaskPlan } from '../../fake-providers/taskStore';
import { assertNoKey, fakeProviderRig, rejection, resolve, testSignal } from './asyncProviderHarness';

/** What these tests need of either async fake. */
interface TaskIdFake {
  readonly baseUrl: string;
  readonly tasks: { all(): readonly { readonly id: string }[] };
  setKnobs(knobs: Partial<TaskIdKnobs & TaskPlan>): void;
  fault(...faults: readonly FakeFault[]): void;
  requests(): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

interface ProviderCase {
  readonly name: string;
  readonly id: 'modellix' | 'apixo';
  readonly apiKey: string;
  readonly fields: readonly TaskIdKnobs['taskIdField'][];
  start(options: { readonly cdn: FakeCdn; readonly apiKey: string }): Promise<TaskIdFake>;
  create(context: ProviderContext): ImageProvider;
  readonly accepted: { readonly code: number; readonly message: string; readonly data: Record<string, unknown> };
}

/** Both async providers read the task id the way their own clients do (issue 10, item 8). */
const cases: readonly ProviderCase[] = [
  {
    name: 'Modellix',
    id: 'modellix',
    apiKey: 'sk-test-modellix-key',
    fields: ['task_id', 'taskId', 'id'],
    start: startFakeModellix,
    create: createModellixProvider,
    accepted: { code: 0, message: 'success', data: { status: 'pending', model_id: 'gpt-image-2' } },
  },
  {
    name: 'APIXO',
    id: 'apixo',
    apiKey: 'sk-test-apixo-key',
    fields: ['taskId', 'task_id', 'id'],
    start: startFakeApixo,
    create: createApixoProvider,
    accepted: { code: 200, message: 'success', data: { state: 'pending' } },
  },
];

for (const provider of cases) {
  describe(`${provider.name} task ids`, () => {
    const rig = fakeProviderRig({ apiKey: provider.apiKey, start: (cdn) => provider.start({ cdn, apiKey: provider.apiKey }) });
    const make = (context: ProviderContext): ImageProvider => provider.create(context);
    const submits = () => rig.fake.requests().filter((request) => request.method === 'POST');

    for (const field of provider.fields) {
      for (const type of ['string', 'number'] as const) {
        it(`reads a ${type} id from data.${field}, and polls the task by it to its image`, async () => {
          rig.fake.setKnobs({ taskIdField: field, taskIdType: type, completeAfterPolls: 0 });
          const client = make(rig.test.context);
          const request = resolve({ provider: provider.id });
          const outcome = await client.submit(request, testSignal());
          const created = rig.fake.tasks.all()[0];
          assert.ok(created);
          if (type === 'number') assert.match(created.id, /^\d+$/);
          assert.equal(outcome.kind === 'task' ? outcome.taskId : undefined, created.id);
          assert.ok(client.poll);
          const done = await client.poll({ taskId: created.id, request }, testSignal());
          assert.equal(done.state, 'succeeded');
          assert.equal(submits().length, 1);
        });
      }
    }

    it('a number too large to read exactly is no id: unknown, never polled, the digits kept for the user', async () => {
      rig.fake.setKnobs({ taskIdType: 'unsafeNumber' });
      const error = await rejection(() => make(rig.test.context).submit(resolve({ provider: provider.id }), testSignal()));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, 'unknownOutcome');
      const created = rig.fake.tasks.all()[0];
      assert.ok(created);
      assert.ok(error.message.includes(created.id), `the answer with the real id is kept: ${error.message}`);
      assert.match(error.message, /Check your account/);
      assert.equal(rig.fake.requests().length, 1, 'one submit, no poll of a rounded id');
    });

    it('an accepted answer without an id keeps the answer (scrubbed of the key, clipped) in the error', async () => {
      const answer = { ...provider.accepted, message: `accepted for ${provider.apiKey}`, data: { ...provider.accepted.data, note: 'x'.repeat(2_000) } };
      rig.fake.fault({ on: 'submit', kind: 'status', status: 200, body: answer });
      const error = await rejection(() => make(rig.test.context).submit(resolve({ provider: provider.id }), testSignal()));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, 'unknownOutcome');
      assert.equal(error.retryable, false);
      assert.match(error.message, /holds no task id we can read \(HTTP 200; it answered: \{"code":/);
      assert.match(error.message, /accepted for \[redacted\]/);
      assert.ok(error.message.length < 1_000, `clipped: ${error.message.length} characters`);
      assertNoKey(provider.apiKey, error, ...rig.test.log.lines);
      assert.equal(submits().length, 1);
    });
  });
}
