/**
 * A real intake (file store in a scratch directory) in front of a stand-in dispatcher, for tests
 * of the routes that take events. Its retries are an hour away: nothing is dispatched in the
 * background while a test counts dispatches.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { intakeSchema } from '../../src/config/intake-schema.ts';
import type { Dispatch } from '../../src/dispatch/dispatch-outcome.ts';
import { openIntake, type AcceptEvent } from '../../src/intake/open-intake.ts';

/** `retryDelaySeconds`: when the intake tries a failed event again by itself (an hour unless given). */
export async function startTestIntake(dispatch: Dispatch, logger: Logger, retryDelaySeconds = 3600): Promise<{ accept: AcceptEvent; close(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'runbridge-test-intake-'));
  const retry = { initialDelaySeconds: retryDelaySeconds, maxDelaySeconds: retryDelaySeconds };
  const intake = openIntake(intakeSchema.parse({ directory, retry }), {
    baseDir: directory,
    answerWithinMs: 3000,
    doneRetentionMs: 168 * 3_600_000,
    dispatch,
    handleCompletion: async () => {
      throw new Error('no completion goes through a webhook');
    },
    logger,
  });
  await intake.intake.start();
  return {
    accept: intake.acceptEvent,
    async close() {
      await intake.intake.stop(1000);
      await intake.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
