import type { ConfigView } from '../core/editor/configCursor';
import type { ConfigAnalysis } from '../core/workspace/configAnalyses';

/** The plain view of one analysis that server/core's editor features read. */
export function viewOf(analysis: ConfigAnalysis): ConfigView {
  const templates = analysis.state.checkOptions().existingTemplates;
  return {
    text: analysis.text,
    result: analysis.result,
    project: analysis.state.model,
    ...(templates ? { existingTemplates: templates } : {}),
  };
}
