/**
 * `kubepath contain`'s plans as text to read and run step by step (shell comments
 * around the commands; nothing is run), or as JSON.
 */
import type {ContainmentPlan} from '../contain/plan.js';
import {safe} from './escape.js';

export function formatContainment(plans: readonly ContainmentPlan[]): string {
  const lines: string[] = ['# kubepath contain: nothing here has been run. Read each step, then run it.'];
  for (const plan of plans) {
    lines.push('', `# === ${safe(plan.pod)}${plan.workload ? ` (${safe(plan.workload)})` : ''}, running as ${safe(plan.serviceAccount)}`);
    plan.steps.forEach((step, index) => {
      lines.push('', `# ${index + 1}. ${step.action}: ${safe(step.why)}`);
      if (step.commands.length === 0) lines.push('#    (nothing to run)');
      // A command's own lines (a here-document) stay lines; what the cluster named is escaped within them.
      for (const command of step.commands) lines.push(...command.split('\n').map(safe));
      for (const caveat of step.caveats) lines.push(`#    note: ${safe(caveat)}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
