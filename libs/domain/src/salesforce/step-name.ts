import { oneOf, withLabels } from '../internal/picklist';
import { JOB_LABEL_TEXTS, JOB_TYPES, JobType } from './job-type';

/** The steps only a multi-stage job passes through; the other steps are the jobs themselves. */
export const MULTI_STAGE_STEPS = ['PSTCommonSyncStep', 'PSTConfigAndPersist', 'PSTOrderTaxAsync', 'PSTPriceAndPersist', 'PSTQuoteTaxAsync'] as const;

/** `AsyncOperationTracker.StepName`, a restricted picklist (seed 000): every JobType plus the `PST*` steps. */
export type StepName = JobType | (typeof MULTI_STAGE_STEPS)[number];

/** The step names in the order the seed lists them, which is code-unit order (`PST*` before `Pear*`). */
export const STEP_NAMES: readonly StepName[] = Object.freeze([...JOB_TYPES, ...MULTI_STAGE_STEPS].sort());

/** Display labels for `describe` responses; the seed labels the job steps as it labels the jobs. */
export const STEP_NAME_LABELS: Readonly<Record<StepName, string>> = withLabels<StepName>(STEP_NAMES, JOB_LABEL_TEXTS);

export const isStepName: (x: unknown) => x is StepName = oneOf(STEP_NAMES);
