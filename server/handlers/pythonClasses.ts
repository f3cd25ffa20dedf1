import { listTopLevelClasses } from '../core/python/listTopLevelClasses';
import type { PythonClassesParams, PythonClassesResult } from '../protocol';

export function handlePythonClasses(params: PythonClassesParams): Promise<PythonClassesResult> {
  return listTopLevelClasses(params.text);
}
