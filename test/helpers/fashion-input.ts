/** What a model trained on Fashion-MNIST takes in and puts out, from the dataset's own record (for tests that load it directly). */
import { BUILTINS } from '@shared/dataset'

export const FASHION_INPUT = { shape: BUILTINS['fashion-mnist'].shape, classCount: BUILTINS['fashion-mnist'].classNames.length }
