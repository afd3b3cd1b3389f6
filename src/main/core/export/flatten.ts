/** Written once in the shared code (the Compare model's hyperparameter diff uses it too). */
export { flattenObject } from '@shared/flatten'
